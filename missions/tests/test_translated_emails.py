"""E-mails about a mission name it in the recipient's language (missions/languages.py),
whatever language the sender's request or worker has active: in English for an English
reader when the mission has English text, in French otherwise."""

import pytest
from django.conf import settings
from django.utils import timezone, translation

from alerts import emails as alert_emails
from alerts.tests.factories import confirmed_alert, published_mission
from applications import emails as application_emails
from applications.tests.factories import submitted
from missions.tests.factories import MissionFactory
from notifications.emails import render_content
from notifications.outbox import Draft
from review import emails as review_emails
from selection import emails as selection_emails
from selection.tests.conftest import partner_link
from talent import emails as talent_emails
from talent.models import Invitation
from volunteers.tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Chargé·e d'appui aux coopératives"
ENGLISH_TITLE = "Cooperatives support officer"


@pytest.fixture
def mission():
    return MissionFactory(
        reference="MAIL1", title=FRENCH_TITLE, title_en=ENGLISH_TITLE, city="Le Caire",
        city_en="Cairo", host_country="EG", application_subject=f"MAIL1 – {FRENCH_TITLE}",
        application_subject_en=f"MAIL1 – {ENGLISH_TITLE}",
    )  # fmt: skip


def rendered(draft: Draft) -> str:
    content = render_content(draft.template, draft.language, draft.context)
    return "\n".join((content.subject, content.text, content.html))


def assert_in(language: str, text: str) -> None:
    expected, other = (
        (ENGLISH_TITLE, FRENCH_TITLE) if language == "en" else (FRENCH_TITLE, ENGLISH_TITLE)
    )
    assert expected in text and other not in text


# The sender's language is the other one: what the e-mail says must not follow it.
@pytest.mark.parametrize(("reader", "sender"), [("en", "fr"), ("fr", "en")])
def test_a_candidate_reads_the_mission_in_their_language(mission, reader, sender):
    application = submitted(mission, VolunteerFactory(preferred_language=reader))

    with translation.override(sender):
        drafts = [
            application_emails.application_submitted(application),
            application_emails.draft_reminder(application, name="reminder-7d"),
            review_emails.training_reminder(application),
        ]

    for draft in drafts:
        assert draft.language == reader
        assert_in(reader, rendered(draft))
    city = "Cairo" if reader == "en" else "Le Caire"
    assert drafts[1].context["city"] == city


def test_a_french_only_mission_is_named_in_french_to_an_english_reader():
    mission = MissionFactory(reference="FRO1", title=FRENCH_TITLE)
    application = submitted(mission, VolunteerFactory(preferred_language="en"))

    text = rendered(application_emails.application_submitted(application))

    assert FRENCH_TITLE in text
    assert "We have received your application for the mission FRO1" in text


@pytest.mark.parametrize(("reader", "sender"), [("en", "fr"), ("fr", "en")])
def test_an_alert_digest_lists_the_missions_in_the_subscriber_s_language(reader, sender):
    alert = confirmed_alert(language=reader)
    mission = published_mission(reference="MAIL2", title=FRENCH_TITLE, title_en=ENGLISH_TITLE)

    with translation.override(sender):
        draft = alert_emails.alert_digest(alert, [mission], since=timezone.now())

    assert draft.context["missions"][0]["title"] == (
        ENGLISH_TITLE if reader == "en" else FRENCH_TITLE
    )
    assert_in(reader, rendered(draft))


@pytest.mark.parametrize(("reader", "sender"), [("en", "fr"), ("fr", "en")])
def test_a_pool_invitation_names_the_mission_in_the_member_s_language(mission, reader, sender):
    volunteer = VolunteerFactory(preferred_language=reader)
    invitation = Invitation.objects.create(volunteer=volunteer, mission=mission,
                                           at=timezone.now())  # fmt: skip

    with translation.override(sender):
        draft = talent_emails.invitation_sent(invitation)

    assert_in(reader, rendered(draft))
    assert ("(Cairo)" if reader == "en" else "(Le Caire)") in rendered(draft)


@pytest.mark.parametrize(("reader", "sender"), [("en", "fr"), ("fr", "en")])
def test_a_partner_s_link_names_the_mission_in_the_partner_s_language(mission, reader, sender):
    link = partner_link(mission, language=reader)

    with translation.override(sender):
        draft = selection_emails.link_invitation(link, "token", now=timezone.now())

    assert_in(reader, rendered(draft))


def test_the_staff_digest_names_the_mission_in_french_the_staff_s_language(mission):
    with translation.override("en"):
        draft = review_emails.staff_digest(
            mission, UserFactory(), {"submitted": 2, "withdrawn": 0, "without_notes": 1}
        )

    assert draft.language == settings.LANGUAGE_CODE == "fr"
    assert_in("fr", rendered(draft))
