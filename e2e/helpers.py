"""What the browser tests share besides fixtures: axe-core, the Nu HTML Checker, screenshots'
place, data builders."""

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

if TYPE_CHECKING:
    from playwright.sync_api import Page

E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = E2E_DIR / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct horse battery staple"  # noqa: S105 -- the factories' test password


def missing(what: str) -> None:
    """Skip without a browser tool, or fail when CI says every service must be there."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(what)
    pytest.skip(what)


# --- axe-core -----------------------------------------------------------------------------


def axe(page: "Page") -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations for the page as it is now."""
    if not AXE_JS.exists():
        missing(f"axe-core is not installed: npm ci --prefix {E2E_DIR}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per offending element: rule id, impact, what to fix, where."""
    return "\n".join(
        f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}"
        for violation in violations
        for node in violation["nodes"]
    )


def assert_no_axe_violations(page: "Page") -> None:
    violations = axe(page)
    assert not violations, f"axe-core, {page.url}:\n{describe(violations)}"


# --- signing in ---------------------------------------------------------------------------


def log_in(page: "Page", email: str, password: str = PASSWORD) -> None:
    """The site's own (rate-limited) login form, with a password."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Connexion"))
    page.get_by_role("textbox", name=re.compile("^Courriel")).fill(email)
    page.get_by_role("textbox", name=re.compile("^Mot de passe")).fill(password)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()


# --- downloads ---------------------------------------------------------------------------


def download(page: "Page", link: str, folder: Path, role: str = "link") -> Path:
    """Click the download link (or button) of that name; the file saved in ``folder`` under
    its name."""
    with page.expect_download() as info:
        page.get_by_role(role, name=link, exact=True).click()  # type: ignore[arg-type]
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def xlsx_table(source: Path | io.BytesIO) -> list[list[Any]]:
    """The first sheet's cells, row by row, as openpyxl reads them back."""
    import openpyxl

    sheet = openpyxl.load_workbook(source).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- the Nu HTML Checker ------------------------------------------------------------------

# The W3C's checker (validator.w3.org/nu) as a jar, pinned in e2e/package-lock.json; it runs on
# Debian's Java (default-jre-headless), never on a runtime downloaded by its install script.
VNU_JAR = E2E_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_check(files: list[Path]) -> dict[str, list[str]]:
    """The checker's errors and warnings for each file (HTML, and SVG by its extension), by
    file name: "line: message". One Java process for every file."""
    java = shutil.which("java")
    if java is None:
        missing("Java is not installed: apt-get install default-jre-headless")
    if not VNU_JAR.exists():
        missing(f"vnu-jar is not installed: npm ci --prefix {E2E_DIR}")
    command = [str(java), "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
    command += ["--also-check-svg", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    found: dict[str, list[str]] = {}
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "warning":
            name = Path(message.get("url", "?")).name
            found.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
    return found


# --- data ---------------------------------------------------------------------------------


def open_mission(**fields: Any) -> Any:
    """A published mission whose deadline is two months away, whatever today is."""
    from missions.tests.factories import MissionFactory

    today = timezone.localdate()
    start = today + dt.timedelta(days=150)
    defaults: dict[str, Any] = {
        "published_on": today - dt.timedelta(days=10),
        "deadline_date": today + dt.timedelta(days=60),
        "start_date": start,
        "training_start": start - dt.timedelta(days=28),
        "training_end": start - dt.timedelta(days=24),
    }
    return MissionFactory(**{**defaults, **fields})


def dakar_mission(**fields: Any) -> Any:
    """A mission like 3S1284 (Dakar, Senegal), open for two more months."""
    defaults: dict[str, Any] = {
        "reference": "3S9001",
        "title": "Chargé·e de développement des coopérations au Sénégal",
        "host_country": "SN",
        "city": "Dakar",
        "region": "Afrique de l'Ouest",
        "time_zone": "Africa/Dakar",
    }
    return open_mission(**{**defaults, **fields})


QUESTION_CHOICES_HEARD = [
    {"value": "site", "fr": "Le site de France Volontaires", "en": "France Volontaires' site"},
    {"value": "friend", "fr": "Un·e ami·e", "en": "A friend"},
]
QUESTION_CHOICES_LICENCES = [
    {"value": "b", "fr": "Permis B", "en": "Driving licence B"},
    {"value": "a", "fr": "Permis A", "en": "Motorbike licence"},
]


def every_kind_of_question(mission: Any) -> None:
    """One question of each type on a mission, the country asked only after "Oui"."""
    from missions import cache as mission_cache
    from missions.models import Question
    from missions.tests.factories import QuestionFactory

    kind = Question.Kind
    today = timezone.localdate()

    def ask(order: int, kind: str, label: str, **settings: Any) -> Any:
        return QuestionFactory(mission=mission, order=order, kind=kind, label_fr=label, **settings)

    ask(1, kind.SHORT_TEXT, "Votre ville de départ ?", required=True)
    ask(2, kind.LONG_TEXT, "Une expérience de coopération ?", max_length=1500)
    ask(3, kind.NUMBER, "Années de bénévolat ?", min_number=0, max_number=40)
    lived = ask(4, kind.YES_NO, "Avez-vous déjà vécu à l'étranger ?", required=True)
    ask(5, kind.COUNTRY, "Dans quel pays ?", condition_question=lived, condition_values=["yes"])
    ask(6, kind.CHOICE, "Comment avez-vous connu la mission ?", choices=QUESTION_CHOICES_HEARD)
    ask(7, kind.MULTIPLE, "Vos permis ?", choices=QUESTION_CHOICES_LICENCES)
    ask(
        8,
        kind.DATE,
        "Disponible à partir du ?",
        min_date=today,
        max_date=today + dt.timedelta(days=365),
    )
    ask(9, kind.LANGUAGE, "Une langue locale ?")
    ask(10, kind.FILE, "Votre diplôme")  # fmt: skip
    mission_cache.bump()  # as the admin does: the pages and apply steps read them at once


def load_demo() -> None:
    """3S1284 as published, the seven sample missions and the sample people (``manage.py demo``)."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())


def candidate(**fields: Any) -> Any:
    """A candidate with a verified address, a complete profile and a PDF CV."""
    from volunteers.tests.factories import VolunteerFactory

    return VolunteerFactory(**{"cv_uploaded_at": timezone.now(), **fields})


def with_documents(application: Any) -> Any:
    """Attach a real PDF CV and a real DOCX letter, as the apply form would."""
    from django.core.files.base import ContentFile

    from applications.documents import document_store
    from testing.documents import docx_bytes, pdf_bytes

    for kind, content, name in (
        ("cv", pdf_bytes(), "cv.pdf"),
        ("letter", docx_bytes(), "lettre.docx"),
    ):
        document_store(
            application=application, kind=kind, data=ContentFile(content, name=name), name=name
        )
    return application


def staff_member(group: str, email: str) -> Any:
    """A user in one of the roles of ``review.roles`` (groups refreshed first).

    Browser tests run in transactions that are flushed afterwards, which empties the groups
    the migrations created: ``setup_roles`` brings them back.
    """
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from review.roles import COORDINATORS
    from volunteers.tests.factories import UserFactory

    call_command("setup_roles", stdout=io.StringIO())
    user = UserFactory(email=email, is_staff=group != COORDINATORS)
    user.groups.add(Group.objects.get(name=group))
    return user


def ready_draft(volunteer: Any, mission: Any) -> Any:
    """A draft with a DOCX letter, the profile's CV, the declaration and the consent: reviewable."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services
    from testing.documents import docx_bytes

    letter = SimpleUploadedFile(
        "lettre.docx",
        docx_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    draft = services.application_draft_get(volunteer=volunteer, mission=mission)
    return services.application_draft_save(
        application=draft,
        motivation="Six ans dans l'économie sociale et solidaire.",
        use_profile_cv=True,
        declaration=True,
        consent=True,
        letter=letter,
    )
