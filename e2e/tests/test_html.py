"""The Nu HTML Checker (vnu, the W3C's validator) on the site's pages: no error, no warning.

The pages are rendered by Django's test client, as a browser receives them, and checked
together in one run of the checker (e2e/helpers.py, ``nu_check``).
"""

from pathlib import Path

import pytest
from django.conf import settings

from e2e.helpers import candidate, dakar_mission, every_kind_of_question, nu_check, ready_draft

pytestmark = [pytest.mark.services, pytest.mark.django_db]

ICON = Path(settings.BASE_DIR) / "static" / "icons" / "favicon.svg"


def save(tmp_path: Path, name: str, response, status: int = 200) -> Path:
    assert response.status_code == status, name
    path = tmp_path / f"{name}.html"
    path.write_bytes(response.content)
    return path


def test_the_about_page_and_the_pages_around_it_have_no_html_error(client, tmp_path):
    mission = dakar_mission()
    pages = {
        "a-propos": "/a-propos/",
        "about-en": "/en/a-propos/",
        "missions": "/missions/",
        "mission": f"/missions/{mission.reference}/",
    }
    files = [save(tmp_path, name, client.get(url)) for name, url in pages.items()]
    files.append(save(tmp_path, "not-found", client.get("/missions/NEXISTEPAS/"), status=404))
    every_kind_of_question(mission)
    volunteer = candidate(user__email="awa@example.org")
    ready_draft(volunteer, mission)
    client.force_login(volunteer.user)
    questions = f"/missions/{mission.reference}/apply/questions/"
    files += [
        save(tmp_path, "profile", client.get("/me/profile/")),
        save(tmp_path, "apply", client.get(f"/missions/{mission.reference}/apply/")),
        save(tmp_path, "questions", client.get(questions)),
        save(tmp_path, "questions-errors", client.post(questions, {"next": "review"})),
    ]

    assert nu_check([*files, ICON]) == {}


def test_the_checker_reports_what_is_wrong(tmp_path):
    """The same check on a page with two mistakes: it would not pass an unchecked page."""
    wrong = tmp_path / "wrong.html"
    wrong.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>x</title></head>'
        '<body><p id="a">x</p><p id="a">y</p><img src="x.png"></body></html>'
    )

    found = nu_check([wrong])

    assert list(found) == ["wrong.html"]
    assert any("Duplicate ID" in message for message in found["wrong.html"])
    assert any("alt" in message for message in found["wrong.html"])
