"""The recruitment dashboard in a real browser, with a month of data behind every chart: axe-core
on the admin's page (a recruitment manager, the data tables opened) and on a coordinator's in
French and English; screenshots at 360 px and 1280 px, no sideways scrolling and no chart text
cut off or overlapping; the filters with the keyboard alone, a bad period explained beside its
field; a chart's CSV headed like its table."""

import csv
import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import Stage
from applications.tests.factories import submitted
from e2e.helpers import (
    assert_no_axe_violations,
    dakar_mission,
    download,
    open_mission,
    staff_member,
)
from e2e.tests.pages import LANGUAGES
from e2e.tests.test_accessibility import tab_to
from review.roles import COORDINATORS, MANAGERS

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADMIN = "/admin/dashboard/dashboard/"
COORDINATION = "/coordination/tableau-de-bord/"
CHARTS = 8  # SVG charts on the page; besides them three tables
FUNNEL_CSV = "Télécharger les données (CSV) : Du regard à la sélection"


def day_counts(mission, day: dt.date, i: int, submissions: int) -> list[tuple]:
    """One day of a mission's counts, varied by ``i`` so that no two bars are alike."""
    rows = [
        ("view", "", 40 + (i * 7) % 25), ("check", "", 14 + i % 5), ("eligible", "", 9 + i % 4),
        ("refused", "host_nationality", 2 + i % 3), ("refused", "host_residence", 1 + i % 2),
        ("refused", "under_age", i % 2), ("draft", "", 4 + i % 3),
        ("submitted", "", submissions), ("residence", ["FR", "SN", "TG", "BE"][i % 4], submissions),
        ("nationality", ["FR", "SN", "MA"][i % 3], submissions),
        ("source", ["catalogue", "catalogue", "alert", "invitation", "external"][i % 5], submissions),
        ("reached", Stage.SHORTLISTED, i % 2), ("reached", Stage.INTERVIEW, int(i % 3 == 0)),
        ("reached", Stage.SELECTED, int(i % 7 == 0)), ("reached", Stage.REJECTED, i % 2),
        ("reached", Stage.WITHDRAWN, int(i % 9 == 0)),
    ]  # fmt: skip
    return [(mission.pk, day, event, detail, n) for event, detail, n in rows if n]


def a_month_of_recruitment() -> dict:
    """Two missions counted over four weeks: one open (Dakar), one closed three days ago after
    a last-days rush (Lomé, the coordinator's); stage times, applications waiting in each
    stage, a review request and a failed e-mail."""
    from django.utils import timezone

    from missions.models import ReviewRequest
    from missions.tallies import local_day, stage_time_row, stage_times_add, tallies_add
    from notifications.models import OutboxMessage

    now = timezone.now()
    today = local_day(now)
    dakar = dakar_mission()
    lome = open_mission(
        reference="3S9002", title="Chargé·e de communication", host_country="TG", city="Lomé",
        time_zone="Africa/Lome", published_on=today - dt.timedelta(days=40),
        deadline_date=today - dt.timedelta(days=3),
    )  # fmt: skip
    rows = []
    for i in range(1, 28):
        day = today - dt.timedelta(days=i)
        rows += day_counts(dakar, day, i, 1 + i % 3)
        before = (lome.deadline_date - day).days
        if 0 <= before <= 20:
            rows += day_counts(lome, day, i + 1, max(1, 12 - before))
    tallies_add(rows)
    stages = [Stage.DRAFT, Stage.SUBMITTED, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.INTERVIEW]
    for i, (mission, stage) in enumerate((m, s) for m in (dakar, lome) for s in stages * 3):
        at = now - dt.timedelta(days=1 + i % 20)
        stage_times_add(
            [
                stage_time_row(
                    mission_id=mission.pk,
                    stage=stage,
                    since=at - dt.timedelta(days=2 + i % 9),
                    at=at,
                )
            ]
        )
    for mission, stage, days in [
        (dakar, Stage.SUBMITTED, 12), (dakar, Stage.IN_REVIEW, 6),
        (lome, Stage.SHORTLISTED, 9), (lome, Stage.SHORTLISTED, 5), (lome, Stage.INTERVIEW, 2),
    ]:  # fmt: skip
        submitted(mission, stage=stage, stage_since=now - dt.timedelta(days=days))
    ReviewRequest.objects.create(
        mission=dakar, email="awa@example.org", message="Je réside à Paris."
    )
    OutboxMessage.objects.create(
        key="test:failed", to="nobody@example.org", template="application_submitted",
        state=OutboxMessage.State.FAILED, attempts=5, last_error="550 No such user",
    )  # fmt: skip
    coordinator = staff_member(COORDINATORS, "comdev@example.org")
    lome.coordinators.add(coordinator)
    manager = staff_member(MANAGERS, "rh@example.org")
    return {"dakar": dakar, "lome": lome, "coordinator": coordinator, "manager": manager}


# Charts whose drawing is empty (no bar or column with a size): there should be none.
EMPTY_CHARTS = """() => [...document.querySelectorAll("svg.dash-svg")]
  .filter((svg) => ![...svg.querySelectorAll("rect.dash-bar")]
    .some((bar) => bar.getBBox().width > 0 && bar.getBBox().height > 0))
  .map((svg) => svg.getAttribute("aria-labelledby"))"""

# Text of a chart outside its drawing, or over another text of the same chart, in the SVG's
# own units (the drawing is scaled as a whole, so this holds at every width).
TEXT_PROBLEMS = """() => [...document.querySelectorAll("svg.dash-svg")].flatMap((svg) => {
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  const boxes = [...svg.querySelectorAll("text")].map((text) => [text.textContent, text.getBBox()]);
  const outside = boxes.filter(([, b]) => b.x < -2 || b.y < -2 || b.x + b.width > width + 2
                                          || b.y + b.height > height + 2)
    .map(([text, b]) => `${svg.getAttribute("aria-labelledby")}: "${text}" cut off `
         + `(${b.x}, ${b.y}, ${b.width} × ${b.height} in 0 0 ${width} ${height})`);
  const over = boxes.flatMap(([text, a], i) => boxes.slice(i + 1)
    .filter(([, b]) => a.x < b.x + b.width && b.x < a.x + a.width
                       && a.y < b.y + b.height && b.y < a.y + a.height)
    .map(([other]) => `${svg.getAttribute("aria-labelledby")}: "${text}" over "${other}"`));
  return [...outside, ...over];
})"""


def check_every_chart_shows_something(page: Page) -> None:
    expect(page.locator("svg.dash-svg")).to_have_count(CHARTS)
    assert page.evaluate(EMPTY_CHARTS) == []
    for table in ("Missions refusant le plus", "Missions ayant reçu le plus", "qui attendent"):
        rows = page.locator("table.dash-table").filter(has_text=table).locator("tbody tr")
        expect(rows.first).to_be_attached()


def open_every_details(page: Page) -> None:
    summaries = page.locator("details.dash-details > summary")
    expect(summaries).to_have_count(CHARTS)
    for index in range(CHARTS):
        summaries.nth(index).click()
    expect(page.locator("details.dash-details[open] table")).to_have_count(CHARTS)


def test_the_admin_dashboard_has_no_wcag_violation_with_its_data_tables_opened(
    axe_page: Page, sign_in, shoot
):
    page = axe_page
    data = a_month_of_recruitment()
    sign_in(page.context, data["manager"])

    page.goto(ADMIN)

    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    check_every_chart_shows_something(page)
    expect(page.locator(".dash-keys").last).to_contain_text("En échec")
    assert_no_axe_violations(page)
    open_every_details(page)
    shoot(page, "opened")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_coordinators_dashboard_has_no_wcag_violation(axe_page: Page, sign_in, shoot, lang):
    page = axe_page
    data = a_month_of_recruitment()
    sign_in(page.context, data["coordinator"])

    page.goto(LANGUAGES[lang] + COORDINATION)

    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("svg.dash-svg")).to_have_count(CHARTS)
    assert page.evaluate(EMPTY_CHARTS) == []
    expect(page.locator("main")).not_to_contain_text("3S9001")  # not the coordinator's mission
    assert_no_axe_violations(page)
    open_every_details(page)
    shoot(page, "opened")
    assert_no_axe_violations(page)


# As mobile_page, with the CSP bypassed as in axe_page: axe-core runs on the phone too, where
# the tables scroll sideways.
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
WIDER_THAN_360 = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > 361)
  .slice(0, 5).map((el) => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("who", ["manager", "coordinator"])
def test_the_dashboard_fits_360_pixels_with_its_charts_text_whole(new_context, sign_in, shoot, who):
    """At 1280 px then 360 px (screenshots of both); the coordinator's page is filtered by
    their mission, which draws the deadline's line."""
    data = a_month_of_recruitment()
    url = ADMIN if who == "manager" else f"{COORDINATION}?mission={data['lome'].pk}"
    for size, options in (("1280px", {}), ("360px", PHONE)):
        page = new_context(bypass_csp=True, **options).new_page()
        sign_in(page.context, data[who])
        page.goto(url)
        check_every_chart_shows_something(page)
        shoot(page, size)
        problems = page.evaluate(TEXT_PROBLEMS)
        assert not problems, "\n".join(problems)

    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 360 + 1, (
        f"{page.url} is {width}px wide at 360px: {page.evaluate(WIDER_THAN_360)}"
    )
    open_every_details(page)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360 + 1
    assert_no_axe_violations(page)


def days_like_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last two days of the past year whose day is their month's number (11/11, 10/10...):
    Chromium orders a date field's parts in its own language, not the page's, and such a day
    is typed the same either way."""
    days = [dt.date(year, month, month) for year in (today.year, today.year - 1) for month in range(12, 0, -1)]  # fmt: skip
    last, before = [day for day in days if day <= today][:2]
    return last, before


@pytest.mark.parametrize("who", ["manager", "coordinator"])
def test_the_filters_work_with_the_keyboard_alone_and_a_bad_period_is_explained_beside_it(
    page: Page, sign_in, shoot, who
):
    from django.utils import timezone

    from missions.tallies import local_day

    data = a_month_of_recruitment()
    sign_in(page.context, data[who])
    start, end = days_like_months(local_day(timezone.now()))  # the wrong way round
    page.goto(ADMIN if who == "manager" else COORDINATION)

    start_field = page.get_by_label("Du", exact=True)
    end_field = page.get_by_label("Au", exact=True)
    for field, day in ((start_field, start), (end_field, end)):
        tab_to(page, field)
        page.keyboard.type(day.strftime("%d%m%Y"))
        expect(field).to_have_value(day.isoformat())
    mission = page.get_by_label("Mission", exact=True)
    tab_to(page, mission)
    page.keyboard.type(data["lome"].reference)  # a closed list picks the option so begun
    expect(mission).to_have_value(str(data["lome"].pk))
    tab_to(page, page.get_by_role("button", name="Afficher"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Un filtre n'est pas valable")
    message = "La fin de la période doit suivre son début."
    expect(page.locator(".dash-field").filter(has=end_field).locator(".dash-error")).to_have_text(
        message
    )
    expect(end_field).to_have_attribute("aria-invalid", "true")
    expect(end_field).to_have_accessible_description(message)
    expect(start_field).to_have_value(start.isoformat())
    expect(end_field).to_have_value(end.isoformat())
    expect(mission).to_have_value(str(data["lome"].pk))
    shoot(page, "bad-period")


def test_a_charts_csv_begins_with_its_tables_header(page: Page, sign_in, tmp_path):
    data = a_month_of_recruitment()
    sign_in(page.context, data["coordinator"])
    page.goto(COORDINATION)
    figure = page.locator("figure.dash-chart").filter(has=page.get_by_role("link", name=FUNNEL_CSV))
    headers = [text.strip() for text in figure.locator("details thead th").all_text_contents()]

    path = download(page, FUNNEL_CSV, tmp_path)

    assert re.fullmatch(
        r"tableau-de-bord-funnel-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv", path.name
    )
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert headers == ["Étape", "Nombre", "Par rapport à l'étape précédente"]
    assert rows[0] == headers
    assert rows[1][0] == "Consultations" and int(rows[1][1]) > 0
