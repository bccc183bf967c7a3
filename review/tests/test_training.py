"""Pre-departure training: enrolment (stage and capacity), attendance, the roster CSV, the
"departed" gate, the filter on who has not attended, and the 14-day reminder with its .ics."""

import datetime as dt
import html as html_text
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from applications.models import Application, Stage
from applications.tests.factories import submitted
from missions.models import TrainingSession
from missions.tests.factories import MissionFactory
from notifications.models import OutboxMessage
from review import reminders
from review.models import TrainingEnrolment
from review.roles import MANAGERS, REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import CHANGELIST, as_user
from testing.clock import NOW, days
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

DAKAR = zoneinfo.ZoneInfo("Africa/Dakar")


@pytest.fixture
def mission():
    return MissionFactory(reference="PAD1", time_zone="Africa/Dakar")


@pytest.fixture
def session(mission):
    return TrainingSession.objects.create(
        mission=mission, title="PAD de printemps", starts_on=days(30), ends_on=days(34),
        place="Lyon", capacity=2,
    )  # fmt: skip


@pytest.fixture
def manager():
    return staff(MANAGERS, "manager@example.org")


def selected(mission, last_name, **fields):
    volunteer = VolunteerFactory(last_name=last_name, first_name="Awa", **fields)
    return submitted(mission, volunteer, stage=Stage.SELECTED)


def enrol(client, applications, session):
    return client.post(
        CHANGELIST,
        {"action": "enrol_training", "_selected_action": [a.pk for a in applications],
         "session": session.pk, "confirm": "1"},
        follow=True,
    )  # fmt: skip


def messages_of(response) -> list[str]:
    return [html_text.unescape(str(m)) for m in response.context["messages"]]


def test_enrolling_keeps_to_selected_volunteers_and_the_sessions_seats(
    client, mission, session, manager
):
    chosen = [selected(mission, f"Ndiaye{n}") for n in range(3)]
    interview = submitted(mission, VolunteerFactory(last_name="Gueye"), stage=Stage.INTERVIEW)
    as_user(client, manager)

    response = enrol(client, [*chosen, interview], session)

    enrolled = set(TrainingEnrolment.objects.values_list("application", flat=True))
    assert enrolled == {chosen[0].pk, chosen[1].pk}
    text = " ".join(messages_of(response))
    assert "la session est complète (2 places)" in text
    assert "seule une candidature retenue" in text
    assert "2 volontaires inscrit·es." in text


def test_the_enrol_page_offers_only_the_missions_sessions(client, mission, session, manager):
    TrainingSession.objects.create(mission=MissionFactory(reference="PAD2"), title="Autre",
                                   starts_on=days(30), ends_on=days(31))  # fmt: skip
    application = selected(mission, "Faye")
    as_user(client, manager)

    page = client.post(CHANGELIST, {"action": "enrol_training",
                                    "_selected_action": [application.pk]})  # fmt: skip

    assert list(page.context["form"].fields["session"].queryset) == [session]


def test_a_reviewer_cannot_enrol_nor_mark_departed(client, mission, session):
    application = selected(mission, "Sy")
    as_user(client, staff(REVIEWERS, "rev@example.org"))

    enrol(client, [application], session)
    client.post(CHANGELIST, {"action": "mark_departed", "_selected_action": [application.pk]})

    assert not TrainingEnrolment.objects.exists()
    application.refresh_from_db()
    assert application.departed_at is None


def test_departure_is_refused_until_the_training_is_attended(client, mission, session, manager):
    application = selected(mission, "Cissé")
    enrolment = TrainingEnrolment.objects.create(application=application, session=session)
    as_user(client, manager)
    depart = {"action": "mark_departed", "_selected_action": [application.pk]}

    refused = client.post(CHANGELIST, depart, follow=True)

    application.refresh_from_db()
    assert application.departed_at is None
    assert any("n'a pas encore suivi la formation au départ" in m for m in messages_of(refused))

    client.post(
        reverse("admin:review_trainingenrolment_changelist"),
        {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": enrolment.pk,
         "form-0-attended": "true", "_save": "1"},
    )  # fmt: skip
    enrolment.refresh_from_db()
    assert (enrolment.attended, enrolment.attendance_by) == (True, manager)

    client.post(CHANGELIST, depart)

    application.refresh_from_db()
    assert NOW <= application.departed_at < NOW + dt.timedelta(minutes=1)
    assert application.audit.latest().history_user == manager


def test_staff_filter_who_has_not_attended_yet(client, mission, session, manager):
    missing = selected(mission, "Absent")
    TrainingEnrolment.objects.create(application=missing, session=session, attended=False)
    done = selected(mission, "Present")
    TrainingEnrolment.objects.create(application=done, session=session, attended=True)
    not_enrolled = selected(mission, "Pasinscrit")
    as_user(client, manager)

    def shown(value):
        page = client.get(CHANGELIST, {"training": value})
        return {a.pk for a in page.context["cl"].result_list}

    assert shown("not_attended") == {missing.pk}
    assert shown("attended") == {done.pk}
    assert shown("not_enrolled") == {not_enrolled.pk}


def test_the_roster_is_a_csv_with_formulas_neutralised(client, mission, session, manager):
    application = selected(mission, "=HYPERLINK(1)")
    TrainingEnrolment.objects.create(application=application, session=session, attended=True)
    as_user(client, manager)

    response = client.get(reverse("admin:review_trainingenrolment_roster", args=[session.pk]))

    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Nom,Prénom,E-mail,Téléphone,Mission")
    assert lines[1].startswith("'=HYPERLINK(1),Awa,")
    # The writer quotes a leading "+" too: a spreadsheet would read it as a formula.
    assert "'+33612345678,PAD1,PAD1-0001,PAD de printemps,oui" in lines[1]
    assert "attachment" in response["Content-Disposition"]


def test_the_reminder_goes_to_the_enrolled_session_with_its_invitation(mission):
    session = TrainingSession.objects.create(
        mission=mission, title="PAD d'hiver", starts_on=days(10), ends_on=days(12), place="Lyon"
    )
    enrolled = selected(mission, "Inscrite")
    enrolment = TrainingEnrolment.objects.create(application=enrolled, session=session)
    other = selected(mission, "Pasinscrite")  # the mission's own dates, months ahead

    assert reminders.remind_training(now=NOW) == 1
    assert reminders.remind_training(now=NOW) == 0  # once

    message = OutboxMessage.objects.get()
    assert message.to == enrolled.volunteer.user.email != other.volunteer.user.email
    assert message.context["training_start"] == days(10).isoformat()
    (attachment,) = message.attachments
    event = Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]
    assert str(event["uid"]) == f"training-{enrolment.pk}@volontiers"
    assert event.decoded("dtstart") == dt.datetime.combine(days(10), dt.time(9), tzinfo=DAKAR)
    assert event.decoded("dtend") == dt.datetime.combine(days(12), dt.time(17), tzinfo=DAKAR)


def test_volunteers_not_enrolled_keep_the_missions_training_dates(mission):
    mission.training_start = days(10)
    mission.training_end = days(12)
    mission.save(update_fields=["training_start", "training_end"])
    application = selected(mission, "Seule")

    assert reminders.remind_training(now=NOW) == 1

    message = OutboxMessage.objects.get()
    assert message.key == f"training-14d:{application.pk}"
    assert message.context["training_start"] == days(10).isoformat()
    assert message.attachments == []
    assert Application.objects.get(pk=application.pk).departed_at is None
