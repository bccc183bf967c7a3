"""The demo as a newcomer meets it after `make run`: the coordinator whose login the demo
prints signs in through the login form and downloads the shortlist of their mission."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from applications.models import SHORTLIST_STAGES, Application
from e2e.helpers import download, log_in, xlsx_table

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PRINTED_LOGIN = re.compile(r"^Demo coordinator account \([^)]*\): (\S+) / (\S+) \(mission (\w+)\)")


def demo_with_logins() -> str:
    """What `make run` runs (`demo --with-staff`, development settings), and what it prints."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo", "--with-staff", stdout=out)
    return out.getvalue()


def test_the_printed_coordinator_signs_in_and_downloads_the_shortlist_as_xlsx(
    page: Page, shoot, tmp_path
):
    printed = demo_with_logins()
    login = next(filter(None, map(PRINTED_LOGIN.match, printed.splitlines())), None)
    assert login, printed
    email, password, reference = login.groups()
    shortlist = [
        [a.reference, a.profile["last_name"], a.profile["first_name"], a.profile["email"]]
        for a in Application.objects.filter(
            mission__reference=reference, stage__in=SHORTLIST_STAGES
        ).order_by("reference")
    ]
    assert len(shortlist) >= 3

    page.goto("/coordination/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/coordination/"))
    log_in(page, email, password)
    expect(page).to_have_url(re.compile(r"/coordination/$"))
    shoot(page, "home")
    page.get_by_role("link", name=re.compile(f"^{reference} ")).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(shortlist))
    for row in shortlist:
        expect(rows.filter(has_text=row[0])).to_contain_text(row[1].upper())
    shoot(page, "shortlist")

    xlsx_path = download(page, "XLSX", tmp_path, role="button")
    assert re.fullmatch(rf"candidatures_{reference}_\d{{4}}-\d{{2}}-\d{{2}}\.xlsx", xlsx_path.name)
    table = xlsx_table(xlsx_path)  # a real workbook: openpyxl reads it back
    assert table[0][:4] == ["Référence", "Nom", "Prénom", "E-mail"]
    assert [row[:4] for row in table[1:]] == shortlist
