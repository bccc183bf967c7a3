"""Every public and candidate page, each reached as a person would, in either language.

A scenario builds what its page needs, signs in when needed and leaves the page showing
what is to be checked (a form with its errors, a refusal...). The accessibility, mobile and
language tests all walk the same list.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from applications.tests.factories import submitted
from e2e.helpers import (
    candidate,
    dakar_mission,
    every_kind_of_question,
    load_demo,
    ready_draft,
    with_documents,
)


@dataclass
class Visit:
    page: Page
    sign_in: Callable[[Any, Any], None]
    tmp_path: Path
    prefix: str  # "" for French, "/en" for English
    mission: Any = field(init=False)

    def __post_init__(self) -> None:
        self.mission = dakar_mission()

    def goto(self, path: str) -> None:
        self.page.goto(self.prefix + path)

    def as_new_user(self) -> Any:
        from volunteers.tests.factories import UserFactory

        user = UserFactory(email="nouvelle@example.org")
        self.sign_in(self.page.context, user)
        return user

    def as_candidate(self) -> Any:
        volunteer = candidate(user__email="awa@example.org")
        self.sign_in(self.page.context, volunteer.user)
        return volunteer

    def submit(self, selector: str = "main form button[type=submit]") -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()


def missions(v: Visit) -> None:
    v.goto("/missions/")


def missions_filtered_with_an_error(v: Visit) -> None:
    v.goto("/missions/?country=ZZ&q=ESS")


def mission(v: Visit) -> None:
    v.goto(f"/missions/{v.mission.reference}/")


def mission_3s1284(v: Visit) -> None:
    load_demo()
    v.goto("/missions/3S1284/")


def mission_refused(v: Visit) -> None:
    v.goto(f"/missions/{v.mission.reference}/?nationality=SN&second_nationality=&residence=FR")
    v.page.locator("#main details summary").click()  # the review request form, opened
    expect(v.page.locator("#main details textarea")).to_be_visible()


def signup(v: Visit) -> None:
    v.goto("/accounts/signup/")


def signup_with_errors(v: Visit) -> None:
    v.goto("/accounts/signup/")
    v.page.locator("#id_email").fill("pas-une-adresse")
    v.submit()


def signup_code(v: Visit) -> None:
    """The page asking for the code sent by e-mail, after signing up with an address alone."""
    v.goto("/accounts/signup/")
    v.page.locator("#id_email").fill("nouvelle@example.org")
    v.submit()
    expect(v.page.locator("#id_code")).to_be_visible()


def login(v: Visit) -> None:
    v.goto("/accounts/login/")


def login_with_errors(v: Visit) -> None:
    v.goto("/accounts/login/")
    v.page.locator("#id_login").fill("awa@example.org")
    v.page.locator("#id_password").fill("pas le bon")
    v.submit()


def login_by_code(v: Visit) -> None:
    v.goto("/accounts/login/code/")


def profile(v: Visit) -> None:
    v.as_new_user()
    v.goto("/me/profile/")


def profile_with_errors(v: Visit) -> None:
    v.as_new_user()
    v.goto("/me/profile/")
    v.page.locator("#id_first_name").fill("Awa")
    v.page.locator("#id_phone").fill("123")
    v.submit()


def apply(v: Visit) -> None:
    v.as_candidate()
    v.goto(f"/missions/{v.mission.reference}/apply/")


def apply_with_errors(v: Visit) -> None:
    v.as_candidate()
    v.goto(f"/missions/{v.mission.reference}/apply/")
    not_a_letter = v.tmp_path / "lettre.pdf"
    not_a_letter.write_bytes(b"Ceci n'est pas un PDF.")
    v.page.locator("#id_letter").set_input_files(not_a_letter)
    v.submit("main form button[value=review]")


def apply_blocked(v: Visit) -> None:
    volunteer = candidate(user__email="moussa@example.org", nationalities=["SN"], residence="SN")
    v.sign_in(v.page.context, volunteer.user)
    v.goto(f"/missions/{v.mission.reference}/apply/")


def questions(v: Visit) -> None:
    """The mission's own questions, one of each type."""
    every_kind_of_question(v.mission)
    ready_draft(v.as_candidate(), v.mission)
    v.goto(f"/missions/{v.mission.reference}/apply/questions/")


def questions_with_errors(v: Visit) -> None:
    every_kind_of_question(v.mission)
    ready_draft(v.as_candidate(), v.mission)
    v.goto(f"/missions/{v.mission.reference}/apply/questions/")
    v.page.locator("input[type=number]").fill("41")  # over the bound; required ones left empty
    v.submit("main form button[value=review]")


def mission_knockout_refused(v: Visit) -> None:
    """A knock-out question asked before applying, answered "no"."""
    from missions.models import Question
    from missions.tests.factories import QuestionFactory

    QuestionFactory(mission=v.mission, kind=Question.Kind.YES_NO, label_fr="Avez-vous le permis B ?",
                    label_en="Do you hold a driving licence?", knockout_values=["no"],
                    ask_before_applying=True)  # fmt: skip
    v.goto(f"/missions/{v.mission.reference}/")
    v.page.locator("#id_nationality").select_option("FR")
    v.page.locator("#id_residence").select_option("FR")
    v.page.locator("input[name^=answer_][value=no]").check()
    v.submit("main form[method=get] button[type=submit]")


def review(v: Visit) -> None:
    ready_draft(v.as_candidate(), v.mission)
    v.goto(f"/missions/{v.mission.reference}/apply/review/")


def application_sent(v: Visit) -> None:
    with_documents(submitted(v.mission, v.as_candidate()))
    v.goto(f"/missions/{v.mission.reference}/apply/")


def me(v: Visit) -> None:
    with_documents(submitted(v.mission, v.as_candidate()))
    v.goto("/me/")


def withdraw_confirm(v: Visit) -> None:
    application = with_documents(submitted(v.mission, v.as_candidate()))
    v.goto(f"/me/applications/{application.reference}/withdraw/")


def pool_leave(v: Visit) -> None:
    """The link of a talent pool e-mail, its one button pressed: the page says it is done."""
    from django.utils import timezone

    from volunteers import pool

    volunteer = candidate(user__email="awa@example.org", pool_since=timezone.now())
    v.goto(f"/me/vivier/quitter/{pool.leave_token(volunteer)}/")
    v.submit()
    expect(v.page.locator("main [role=status]")).to_be_visible()


def interview_choose(v: Visit) -> None:
    """The candidate's interview page by the link of the e-mail: slots over two days."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from review.interviews import invitation_token
    from review.tests.factories import at_interview, interview_slot

    application = at_interview(v.mission, candidate(user__email="awa@example.org"))
    soon = timezone.now() + dt.timedelta(days=3)
    for hours in (0, 1, 24):
        interview_slot(
            v.mission, starts_at=soon + dt.timedelta(hours=hours), capacity=1 + hours // 24
        )
    v.goto(reverse("interviews:choose", args=[invitation_token(application)]))


def partner_link(v: Visit, code: str) -> tuple[Any, str]:
    """A partner's link to the mission's shortlist (one candidate with a CV and a letter),
    its code step answered with ``code`` (the code sent being 123456)."""
    import datetime as dt

    from django.utils import timezone

    from applications.models import Stage
    from selection import links
    from selection.models import PartnerLink
    from volunteers.tests.factories import UserFactory

    with_documents(submitted(v.mission, candidate(), stage=Stage.SHORTLISTED))
    now = timezone.now()
    link = PartnerLink(
        mission=v.mission, organisation="COMDEV Africa", person="Kofi Mensah",
        email="kofi@example.org", expires_at=now + dt.timedelta(days=14),
        created_by=UserFactory(email="rh@example.org", is_staff=True),
    )  # fmt: skip
    token = links.link_create(link, [], now=now)
    link.code_hash, link.code_sent_at = links.code_hash(link, "123456"), now
    link.save()
    v.goto(f"/partenaires/{token}/")
    v.page.locator("input[name=code]").fill(code)
    v.submit("main form button.btn-primary")
    return link, token


def partner_code_wrong(v: Visit) -> None:
    """The partner's code step, a wrong code given."""
    partner_link(v, "000000")


def partner_candidate(v: Visit) -> None:
    """A candidate's file as a partner reads it, with the opinion form."""
    link, token = partner_link(v, "123456")
    application = link.mission.applications.get()
    v.goto(f"/partenaires/{token}/candidats/{application.reference}/")


def partner_link_gone(v: Visit) -> None:
    """A revoked partner link (410)."""
    from django.utils import timezone

    link, token = partner_link(v, "123456")
    link.revoked_at = timezone.now()
    link.save()
    v.goto(f"/partenaires/{token}/")


def alert_paths(v: Visit) -> dict[str, str]:
    """An active French alert whose digest was written: the paths of its links."""
    from urllib.parse import urlsplit

    from django.utils import timezone

    from alerts import services
    from alerts.tests.factories import confirmed_alert, published_mission
    from notifications.models import OutboxMessage

    confirmed_alert(country="SN", q="coopération")
    published_mission(reference="3S9100", host_country="SN", title="Appui à la coopération")
    services.alerts_send_digests(now=timezone.now())
    context = OutboxMessage.objects.get(template="alert_digest").context
    return {key: urlsplit(context[f"{key}_url"]).path for key in ("unsubscribe", "manage")}


def alert_new(v: Visit) -> None:
    """The alert form, filled from the catalogue's filters."""
    v.goto("/alertes/nouvelle/?country=SN&q=coop%C3%A9ration")


def alert_new_with_errors(v: Visit) -> None:
    v.goto("/alertes/nouvelle/?country=SN")
    v.page.locator("#id_email").fill("awa@")
    v.submit()


def alert_confirm(v: Visit) -> None:
    """The confirmation page: a button, so that a mail scanner confirms nothing."""
    from urllib.parse import urlsplit

    from django.utils import timezone

    from alerts import services
    from notifications.models import OutboxMessage

    services.alert_subscribe(email="awa@example.org", search={"country": "SN"}, frequency="daily",
                             language="fr", user=None, now=timezone.now())  # fmt: skip
    url = OutboxMessage.objects.get(template="alert_confirmation").context["url"]
    v.goto(urlsplit(url).path)


def alert_unsubscribe(v: Visit) -> None:
    v.goto(alert_paths(v)["unsubscribe"])


def alert_manage(v: Visit) -> None:
    v.goto(alert_paths(v)["manage"])


def alert_unknown_link(v: Visit) -> None:
    """A tampered link: a clear 404 page."""
    v.goto("/alertes/desabonner/inconnu/")


def not_found(v: Visit) -> None:
    v.goto("/missions/NEXISTEPAS/")


def about(v: Visit) -> None:
    """The accessibility statement and the privacy notice."""
    v.goto("/a-propos/")


SCENARIOS: dict[str, Callable[[Visit], None]] = {
    scenario.__name__.replace("_", "-"): scenario
    for scenario in (
        missions,
        missions_filtered_with_an_error,
        mission,
        mission_3s1284,
        mission_refused,
        signup,
        signup_with_errors,
        signup_code,
        login,
        login_with_errors,
        login_by_code,
        profile,
        profile_with_errors,
        apply,
        apply_with_errors,
        apply_blocked,
        questions,
        questions_with_errors,
        mission_knockout_refused,
        review,
        application_sent,
        me,
        withdraw_confirm,
        pool_leave,
        interview_choose,
        partner_code_wrong,
        partner_candidate,
        partner_link_gone,
        alert_new,
        alert_new_with_errors,
        alert_confirm,
        alert_unsubscribe,
        alert_manage,
        alert_unknown_link,
        not_found,
        about,
    )
}
LANGUAGES = {"fr": "", "en": "/en"}
