"""The dossier read back with pypdf: the stamp on every page, the CV's own pages after the
section, a contents page giving each candidate's page, bookmarks."""

import pytest
from django.utils import timezone

from applications.models import Application, Note
from review import services as review
from selection.dossier import dossier_file
from selection.models import PartnerOpinion
from selection.tests.conftest import partner_link, shortlisted, store
from selection.tests.pdfs import STAMP, read, texts
from testing.documents import pdf_bytes
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dossier(applications, **options):
    options = {"mission": None, "exported_by": "Claire Moreau", "now": timezone.now(), **options}
    return read(dossier_file(applications, **options))


def test_a_candidates_dossier_is_stamped_on_every_page_with_her_cv_pages_after_it(candidate):
    reader = dossier(Application.objects.filter(pk=candidate.pk), mission=candidate.mission)

    pages = texts(reader)
    assert all(STAMP in page for page in pages), pages
    assert (
        "DIALLO Awa" in pages[0]
        and "DOS1-0001" in pages[0]
        and "Chargé·e de coopération" in pages[0]
    )
    # The section, then the CV's two pages and the letter's page, in their own order.
    cv_one = next(i for i, page in enumerate(pages) if "Curriculum page une" in page)
    assert "Curriculum page deux" in pages[cv_one + 1]
    assert "Lettre de motivation d'Awa" in pages[cv_one + 2]
    assert len(pages) == cv_one + 3
    assert "cv-awa.pdf" in " ".join(pages[:cv_one]) and "2 pages" in " ".join(pages[:cv_one])


def test_the_stamp_names_who_exported_and_when_in_the_site_time_zone(candidate):
    now = timezone.now()
    local = timezone.localtime(now)
    reader = dossier(Application.objects.filter(pk=candidate.pk), now=now)

    assert f"à {local:%H:%M}" in texts(reader)[0]


def test_a_shortlist_dossier_opens_with_contents_giving_each_candidates_page(mission, candidate):
    others = [shortlisted(mission, "Koffi", "Mensah"), shortlisted(mission, "Léa", "Rousseau")]
    store(others[1], "cv", pdf_bytes(pages=3), "cv-lea.pdf")

    reader = dossier(Application.objects.filter(mission=mission), mission=mission)

    pages = texts(reader)
    contents = pages[0]
    assert "Sommaire" in contents and "DOS1" in contents and "3 candidatures" in contents
    assert all(STAMP in page for page in pages)
    for application, name in (
        (candidate, "DIALLO Awa"), (others[0], "MENSAH Koffi"), (others[1], "ROUSSEAU Léa"),
    ):  # fmt: skip
        start = next(i for i, page in enumerate(pages) if page.startswith(name)) + 1
        assert f"{application.reference} {name} {start}" in contents
    # The contents, then Awa's section and her three document pages, then Koffi's section.
    assert pages.index(next(p for p in pages if p.startswith("MENSAH Koffi"))) == 1 + 1 + 3
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _page in outline] == [
        "DOS1-0001 – DIALLO Awa", "DOS1-0002 – MENSAH Koffi", "DOS1-0003 – ROUSSEAU Léa",
    ]  # fmt: skip
    assert [page for _title, page in outline] == [1, 5, 6]
    assert len(pages) == 1 + 4 + 1 + 1 + 3  # the blank CV's three pages are stamped too


def test_staff_sections_hold_notes_reviews_and_partner_opinions(candidate):
    staff = UserFactory(first_name="Julien", last_name="Petit")
    Note.objects.create(application=candidate, author=staff, text="Appeler sa référence à Dakar.")
    review.review_save(application=candidate, reviewer=staff, scores={"experience": 4, "ess": 5, "cooperation": 4, "languages": 5, "motivation": 3}, comment="Solide.")  # fmt: skip
    link = partner_link(candidate.mission, organisation="COMDEV Africa")
    PartnerOpinion.objects.create(
        link=link, application=candidate, verdict="reserved", comment="Peu d'ESS."
    )
    selection = Application.objects.filter(pk=candidate.pk)

    staff_text = " ".join(texts(dossier(selection)))
    partner_text = " ".join(texts(dossier(selection, staff_sections=False)))

    for shown in ("Appeler sa référence à Dakar.", "Julien Petit", "moyenne 4,20 / 5", "Solide.",
                  "COMDEV Africa", "Réservé", "Peu d'ESS."):  # fmt: skip
        assert shown in staff_text
        assert shown not in partner_text
    assert "Éligible" in partner_text
