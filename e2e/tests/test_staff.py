"""Staff in the admin and coordinators on /coordination/, in a real browser."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application, Review, Stage
from applications.tests.factories import submitted
from e2e.helpers import (
    candidate,
    dakar_mission,
    download,
    log_in,
    open_mission,
    staff_member,
    with_documents,
    xlsx_table,
)
from review.roles import COORDINATORS, MANAGERS

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def candidates_of(mission, names: list[tuple[str, str]], **fields) -> list[Application]:
    return [
        with_documents(
            submitted(
                mission,
                candidate(
                    first_name=first, last_name=last, user__email=f"{first.lower()}@example.org"
                ),
                **fields,
            )
        )
        for first, last in names
    ]


def test_a_recruitment_manager_filters_reads_scores_and_shortlists_three(
    page: Page, shoot, tmp_path
):
    staff_member(MANAGERS, "rh@example.org")
    dakar = dakar_mission()
    other = open_mission(reference="3S9002", title="Chargé·e de communication", city="Lomé")
    awa, moussa, fatou = candidates_of(
        dakar, [("Awa", "Ndiaye"), ("Moussa", "Diallo"), ("Fatou", "Sow")]
    )
    candidates_of(other, [("Koffi", "Mensah")])

    # Signing in through /accounts/login/ leads back to the admin.
    page.goto("/admin/applications/application/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/"))
    log_in(page, "rh@example.org")
    expect(page).to_have_url(re.compile(r"/admin/applications/application/$"))
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    shoot(page, "changelist")

    # Filter by mission.
    page.locator("#changelist-filter").get_by_role("link", name=str(dakar)).click()
    expect(page).to_have_url(re.compile(rf"mission__id__exact={dakar.pk}"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="3S9002")).to_have_count(0)

    # Open one application and its CV: a download, never a page.
    rows.filter(has_text="Ndiaye").get_by_role("link", name=awa.reference).click()
    expect(page.get_by_role("heading", level=2).filter(has_text=awa.reference)).to_have_count(1)
    shoot(page, "application")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="cv.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "cv.pdf"
    saved = tmp_path / "cv.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    # Score it on the mission's criteria.
    page.get_by_role("link", name="Noter cette candidature").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Noter la candidature {awa.reference}"
    )
    groups = page.locator("form fieldset fieldset")
    expect(groups).to_have_count(5)
    for index in range(5):
        groups.nth(index).get_by_label("4", exact=True).check()
    page.get_by_label("Commentaire").fill("Solide expérience de la coopération.")
    shoot(page, "score")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messagelist")).to_contain_text("Évaluation enregistrée.")
    assert Review.objects.get(application=awa).comment == "Solide expérience de la coopération."

    # Shortlist the three in bulk: preview the e-mail, then confirm.
    page.goto(f"/admin/applications/application/?mission__id__exact={dakar.pk}")
    page.locator("#action-toggle").check()
    page.get_by_role("combobox", name=re.compile("Action")).select_option(label="Changer l'étape…")
    page.locator("button[name=index], input[name=index]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changer l'étape des candidatures")
    expect(page.locator("#content")).to_contain_text("3 candidatures sélectionnées")
    page.get_by_label("Nouvelle étape").select_option(label="Présélectionnée")
    page.get_by_role("button", name="Prévisualiser").click()
    preview = page.locator("#content .module .email-preview")
    expect(preview.first).to_contain_text("présélectionnée")
    shoot(page, "preview")
    problems = []
    # The stage chosen before the preview is still the one the confirmation will apply.
    chosen = page.get_by_label("Nouvelle étape").input_value()
    if chosen != "shortlisted":
        problems.append(f"after the preview, 'Nouvelle étape' is back to {chosen!r}")
    # Staff read the whole e-mail: no line cut off at the edge of the box.
    cut = preview.evaluate_all(
        "(boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth + 1).length"
    )
    if cut:
        problems.append(f"{cut} e-mail preview(s) cut off on the right")
    assert not problems, "; ".join(problems)
    page.get_by_role("button", name="Confirmer le changement").click()

    expect(page.locator(".messagelist")).to_contain_text("3 candidatures déplacées.")
    shoot(page, "moved")
    stages = {a.reference: a.stage for a in Application.objects.filter(mission=dakar)}
    assert stages == dict.fromkeys(
        (awa.reference, moussa.reference, fatou.reference), Stage.SHORTLISTED
    )


def test_a_coordinator_downloads_the_shortlist_as_xlsx_and_zip(page: Page, shoot, tmp_path):
    coordinator = staff_member(COORDINATORS, "comdev@example.org")
    dakar = dakar_mission()
    dakar.coordinators.add(coordinator)
    shortlisted = candidates_of(
        dakar, [("Awa", "Ndiaye"), ("Moussa", "Diallo")], stage=Stage.SHORTLISTED
    )
    candidates_of(dakar, [("Fatou", "Sow")])  # still under review: not the coordinator's business

    page.goto("/coordination/")
    log_in(page, "comdev@example.org")
    expect(page).to_have_url(re.compile(r"/coordination/$"))
    shoot(page, "home")
    page.get_by_role("link", name=str(dakar)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(dakar))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="SOW")).to_have_count(0)
    shoot(page, "mission")

    xlsx_path = download(page, "XLSX", tmp_path, role="button")
    assert re.fullmatch(r"candidatures_3S9001_\d{4}-\d{2}-\d{2}\.xlsx", xlsx_path.name)
    table = xlsx_table(xlsx_path)
    assert table[0][:3] == ["Référence", "Nom", "Prénom"]
    assert [row[:4] for row in table[1:]] == [
        [shortlisted[0].reference, "Ndiaye", "Awa", "awa@example.org"],
        [shortlisted[1].reference, "Diallo", "Moussa", "moussa@example.org"],
    ]

    archive = zipfile.ZipFile(download(page, "ZIP", tmp_path, role="button"))
    first, second = (a.reference for a in shortlisted)
    assert sorted(archive.namelist()) == [
        f"{first}_NDIAYE_Awa_CV.pdf",
        f"{first}_NDIAYE_Awa_Lettre.docx",
        f"{second}_DIALLO_Moussa_CV.pdf",
        f"{second}_DIALLO_Moussa_Lettre.docx",
        "candidatures_3S9001.xlsx",
    ]
    assert archive.read(f"{first}_NDIAYE_Awa_CV.pdf").startswith(b"%PDF-")
    inner = xlsx_table(io.BytesIO(archive.read("candidatures_3S9001.xlsx")))
    assert inner[2][:2] == [second, "Diallo"]

    # The same list in English, chosen on the French page, without filtering first.
    page.get_by_label("Langue de l'export").select_option("en")
    english = xlsx_table(download(page, "XLSX", tmp_path / "en", role="button"))
    assert english[0][:3] == ["Reference", "Name", "First name"]
    assert english[1][:2] == [shortlisted[0].reference, "Ndiaye"]
