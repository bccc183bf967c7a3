import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from core.dates import long_date
from missions import cache as mission_cache
from missions.cards import detail_url_maker
from missions.models import Mission, Partner
from missions.tests.factories import MissionFactory, ProgrammeFactory
from testing.clock import at, days

pytestmark = pytest.mark.django_db

LIST_URL = "/missions/"


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def titles(response) -> list[str]:
    return [card["title"] for card in response.context["cards"]]


def test_list_shows_open_missions_first_by_nearest_deadline_then_closed_ones(client):
    MissionFactory(title="Close", deadline_date=days(-45))
    MissionFactory(title="Late", deadline_date=days(156))
    MissionFactory(title="Soon", deadline_date=days(50))
    MissionFactory(title="Manually closed", status=Mission.Status.CLOSED)
    MissionFactory(title="Draft", status=Mission.Status.DRAFT)
    MissionFactory(title="Archived", status=Mission.Status.ARCHIVED)

    response = client.get(LIST_URL)

    assert titles(response) == ["Soon", "Late", "Manually closed", "Close"]
    assert "4 missions" in response.content.decode()


def test_list_filters_by_country_programme_open_only_and_text(client):
    francophonie = ProgrammeFactory(slug="v-francophonie", name="V-Francophonie")
    in_togo = MissionFactory(title="Lomé", host_country="TG", summary="Bibliothèques")
    in_togo.programmes.add(francophonie)
    MissionFactory(title="Cotonou", host_country="BJ", summary="Incubateur ESS")
    MissionFactory(title="Dakar fermée", host_country="SN", deadline_date=days(-56))

    assert titles(client.get(LIST_URL, {"country": "TG"})) == ["Lomé"]
    assert titles(client.get(LIST_URL, {"programme": "v-francophonie"})) == ["Lomé"]
    assert titles(client.get(LIST_URL, {"open_only": "on"})) == ["Lomé", "Cotonou"]
    assert titles(client.get(LIST_URL, {"q": "incubateur"})) == ["Cotonou"]
    assert titles(client.get(LIST_URL, {"q": "ESS", "country": "BJ"})) == ["Cotonou"]
    assert titles(client.get(LIST_URL, {"q": "incubateur bénin"})) == [
        "Cotonou"
    ]  # every word, country names too
    assert titles(client.get(LIST_URL, {"q": "incubateur togo"})) == []


def test_an_unknown_filter_value_is_explained_and_the_list_still_answers(client):
    MissionFactory(title="Lomé", host_country="TG")

    response = client.get(LIST_URL, {"country": "ZZ", "q": "Lomé"})

    assert response.status_code == 200
    assert "Aucune mission publiée dans ce pays" in response.content.decode()
    assert 'value="Lomé"' in response.content.decode()  # what was typed is kept
    assert titles(response) == ["Lomé"]  # the valid filter still applies


def test_list_paginates_by_twenty_and_keeps_the_filters_in_page_links(client):
    MissionFactory.create_batch(25, host_country="TG")

    first = client.get(LIST_URL, {"country": "TG"})
    second = client.get(LIST_URL, {"country": "TG", "page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert "?country=TG&amp;page=2" in first.content.decode()
    assert "25 missions" in first.content.decode()


def test_a_card_gives_the_reference_place_duration_programmes_and_deadline(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 28, 12, 0, tzinfo=dt.UTC), tick=False)
    dakar = MissionFactory(
        reference="3S1284",
        title="Chargé·e <ESS>",
        city="Dakar",
        host_country="SN",
        duration_months=1,
        deadline_date=dt.date(2027, 4, 1),
    )
    dakar.programmes.add(
        ProgrammeFactory(name="VSI"), ProgrammeFactory(name="Coopération décentralisée")
    )
    MissionFactory(reference="OLD1", host_country="TG", deadline_date=dt.date(2027, 3, 1))

    french = client.get(LIST_URL).content.decode()
    english = client.get("/en" + LIST_URL).content.decode()

    assert '<a href="/missions/3S1284/">Chargé·e &lt;ESS&gt;</a>' in french
    assert "3S1284 · Dakar, Sénégal · 1 mois · Coopération décentralisée · VSI" in french
    assert "<strong>Date limite :</strong> 1er avril 2027 (plus que 4 jours)" in french
    assert "<strong>Candidatures closes</strong> (date limite : 1er mars 2027)" in french
    assert '<a href="/en/missions/3S1284/">' in english
    assert "3S1284 · Dakar, Senegal · 1 month · Coopération décentralisée · VSI" in english
    assert "1 April 2027 (4 days left)" in english
    assert "OLD1 · " in english and "Applications closed" in english


def test_list_shows_the_time_left_before_the_deadline(client, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 28, 12, 0, tzinfo=dt.UTC), tick=False)
    MissionFactory(deadline_date=dt.date(2027, 3, 31), time_zone="Africa/Porto-Novo")

    assert "plus que 3 jours" in client.get(LIST_URL).content.decode()


@pytest.mark.parametrize(("count", "page"), [(30, 1), (1_000, 1), (1_000, 25), (10_000, 25)])
def test_list_query_count_does_not_grow_with_missions_or_pages(
    client, django_assert_num_queries, count, page
):
    programme = ProgrammeFactory()
    missions = Mission.objects.bulk_create(
        MissionFactory.build(reference=f"Q{n:05d}", deadline_at=at(120)) for n in range(count)
    )
    programme.missions.add(*missions[:40])
    client.get(LIST_URL, {"warm": "filters"})  # the country and programme lists are now cached

    # the page with the total (COUNT(*) OVER ()); the programme names come from a table
    # kept like the filter lists; the page itself is not cached yet
    with django_assert_num_queries(1):
        response = client.get(LIST_URL, {"page": page})
    assert len(response.context["page"]) == 20
    assert response.context["page"].paginator.count == count


def test_a_card_shows_a_programme_once_the_change_is_saved(client):
    mission = MissionFactory(reference="PRG1")
    client.get(LIST_URL, {"page": 1})  # the programme names are now kept, without PRG1's
    mission.programmes.add(ProgrammeFactory(name="Volontariat franco-allemand"))
    mission_cache.bump()  # what the admin does once a change commits

    html = client.get(LIST_URL, {"page": 1}).content.decode()

    card = re.search(r"PRG1 · [^<]*", html)  # the card's facts, not the filter's options
    assert card is not None and card.group().endswith(" · Volontariat franco-allemand")


def test_open_mission_detail_shows_every_section_and_the_apply_button(client):
    mission = MissionFactory(
        context="Contexte unique",
        tasks="Intro :\n\n• Animer le réseau ;\n• Suivre les partenaires.",
        skills="• Autonomie ;",
        conditions="• Indemnité mensuelle ;",
        selection="Entretiens en visio.",
    )

    html = client.get(mission.get_absolute_url()).content.decode()

    for text in (
        "Contexte unique",
        "<li>Animer le réseau ;</li>",
        "Autonomie",
        "Indemnité mensuelle",
    ):
        assert text in html
    assert "Postuler en ligne" in html
    assert f"/missions/{mission.reference}/apply/" in html
    assert "candidatures sont closes" not in html


def test_closed_mission_detail_says_closed_and_offers_no_apply_button_nor_json_ld(client):
    mission = MissionFactory(deadline_date=days(-10), host_country="TG")
    deadline = long_date(mission.deadline_date)

    html = client.get(mission.get_absolute_url()).content.decode()
    asked = client.get(mission.get_absolute_url(), {"nationality": "TG", "residence": "TG"})

    assert (
        f"Les candidatures à cette mission sont closes : la date limite était le {deadline}."
        in html
    )
    assert 'href="/missions/?country=TG">missions ouvertes dans ce pays (Togo)</a>' in html
    assert "Postuler en ligne" not in html and json_ld(html) == []
    # No eligibility check on a closed mission, even when answers are in the address.
    assert 'name="nationality"' not in html
    assert "Vous ne pouvez pas postuler" not in asked.content.decode()


def test_open_mission_detail_carries_a_valid_jobposting(client):
    mission = MissionFactory(
        host_country="SN",
        city="Dakar",
        time_zone="Africa/Dakar",
        deadline_date=days(125),
        title="Chargé·e </script><b>",
        min_experience_years=5,
    )

    documents = json_ld(client.get(mission.get_absolute_url()).content.decode())

    assert len(documents) == 1
    posting = documents[0]
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Chargé·e </script><b>"
    assert posting["employmentType"] == "VOLUNTEER"
    assert posting["validThrough"] == f"{days(126).isoformat()}T00:00:00+00:00"  # Dakar: UTC
    assert posting["datePosted"] == days(-25).isoformat()
    assert posting["hiringOrganization"]["name"] == "France Volontaires"
    assert posting["description"].startswith("<h2>Résumé de la mission</h2><p>")
    assert posting["jobLocation"]["address"]["addressCountry"] == "SN"
    assert "directApply" in posting
    assert "Sénégal" in posting["eligibilityToWorkRequirement"]
    assert "applicantLocationRequirements" not in posting
    assert posting["experienceRequirements"]["monthsOfExperience"] == 60


def test_draft_and_archived_missions_are_not_found(client):
    for status in (Mission.Status.DRAFT, Mission.Status.ARCHIVED):
        mission = MissionFactory(status=status)
        response = client.get(mission.get_absolute_url())
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(("missions", "programmes"), [(1, 1), (1_000, 4)])
def test_detail_query_count_is_constant(client, django_assert_num_queries, missions, programmes):
    Mission.objects.bulk_create(
        MissionFactory.build(reference=f"Q{n:05d}", deadline_at=at(120)) for n in range(missions)
    )
    mission = MissionFactory()
    mission.programmes.add(*ProgrammeFactory.create_batch(programmes))
    mission.partners.add(Partner.objects.create(slug="comdev", name="COMDEV Africa"))
    other = MissionFactory()
    client.get(other.get_absolute_url())  # the table of the missions' links is now kept

    # the mission; its programmes and partners come from the kept table; the page is not
    # cached yet
    with django_assert_num_queries(1):
        response = client.get(mission.get_absolute_url())
    html = response.content.decode()
    assert all(f" · {programme.name}" in html for programme in mission.programmes.all())
    assert "<li>COMDEV Africa</li>" in html


def test_a_mission_missing_from_the_kept_links_is_read_from_the_database(client):
    client.get(MissionFactory().get_absolute_url())  # the links table is kept
    # Published from a shell: no version bump, so the kept table does not hold it.
    programme = ProgrammeFactory(name="V-Francophonie", admitted_nationalities=["FR", "BE"])
    mission = MissionFactory(host_country="SN")
    mission.programmes.add(programme)
    answers = {"nationality": "CI", "residence": "CI"}

    response = client.get(mission.get_absolute_url(), answers)

    assert " · V-Francophonie</p>" in response.content.decode()
    verdict = response.context["verdict"]
    assert [finding.code for finding in verdict.refusals] == ["nationality_not_admitted"]


def test_without_the_shared_cache_a_page_reads_only_its_own_links(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(mission_cache, "version", lambda: 0)  # Redis unreachable
    MissionFactory.create_batch(3)
    mission = MissionFactory()
    mission.programmes.add(ProgrammeFactory(name="Milango"))

    # the mission; its programmes, partners, knock-out questions and public status, for it alone
    with django_assert_num_queries(5) as queries:
        html = client.get(mission.get_absolute_url()).content.decode()

    assert " · Milango</p>" in html
    links = [query["sql"] for query in queries.captured_queries[1:]]
    assert all(f"IN ({mission.pk})" in sql for sql in links), links
    assert mission_cache.kept == {}


def test_english_pages_live_under_en_and_link_back_to_french(client):
    mission = MissionFactory()

    html = client.get(f"/en/missions/{mission.reference}/").content.decode()

    assert 'lang="en"' in html
    assert "Apply online" in html
    assert f'href="/missions/{mission.reference}/" hreflang="fr"' in html


def test_every_page_has_a_skip_link_to_the_main_content(client):
    html = client.get(LIST_URL).content.decode()

    assert 'href="#main"' in html
    assert 'id="main"' in html


def test_atom_feed_lists_public_missions(client):
    MissionFactory(title="Publiée")
    MissionFactory(title="Brouillon", status=Mission.Status.DRAFT)

    response = client.get(reverse("missions:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Publiée" in body
    assert "Brouillon" not in body


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (dt.datetime(2027, 3, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("Pacific/Efate")), True),
        (dt.datetime(2027, 4, 1, 0, 1, tzinfo=zoneinfo.ZoneInfo("Pacific/Efate")), False),
    ],
)
def test_a_mission_in_vanuatu_closes_at_midnight_port_vila_time(
    client, time_machine, moment, is_open
):
    time_machine.move_to(moment, tick=False)
    mission = MissionFactory(
        city="Port-Vila",
        host_country="VU",
        time_zone="Pacific/Efate",
        deadline_date=dt.date(2027, 3, 31),
    )

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "31 mars 2027" in html
    assert ("Postuler en ligne" in html) is is_open
    if is_open:
        assert "jusqu’au 31 mars 2027 à 23 h 59, heure de Port-Vila" in html.replace("'", "’")
        assert json_ld(html)[0]["validThrough"] == "2027-04-01T00:00:00+11:00"


def test_a_mission_without_profile_sections_shows_no_empty_heading(client):
    mission = MissionFactory(
        profile_education="", profile_experience="", skills="", languages_note="", profile_other=""
    )

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "Profil souhaité" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("reference", ["3S1284", "A-B-9", "ÉTÉ 1", "x%y"])
def test_a_card_s_address_is_the_one_reverse_gives(language, reference):
    with translation.override(language):
        expected = reverse("missions:detail", kwargs={"reference": reference})
        assert detail_url_maker()(reference) == expected


def test_mission_text_with_html_is_escaped(client):
    mission = MissionFactory(summary="<script>alert('x')</script>", title="<b>T</b>")

    html = client.get(mission.get_absolute_url()).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_search_input_is_data_not_sql(client):
    MissionFactory(title="Ordinaire")

    response = client.get("/missions/", {"q": "'; DROP TABLE missions_mission; --"})

    assert response.status_code == 200
    assert MissionFactory._meta.model.objects.count() == 1
