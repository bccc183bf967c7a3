"""/sitemap.xml: the published missions and the public pages, in both languages."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from missions.models import Mission
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SITE = "https://volontiers.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def sitemap(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 -- our own response, not untrusted
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


def alternates(url: ET.Element) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}


def test_published_missions_are_listed_in_both_languages_with_their_last_change(client):
    mission = MissionFactory(reference="PUB1")

    urls = sitemap(client)

    french, english = f"{SITE}/missions/PUB1/", f"{SITE}/en/missions/PUB1/"
    assert {french, english} <= urls.keys()
    assert urls[french].findtext("s:lastmod", namespaces=NS) == (
        timezone.localdate(mission.updated_at).isoformat()
    )
    expected = {"fr": french, "en": english, "x-default": french}
    assert alternates(urls[french]) == alternates(urls[english]) == expected


@pytest.mark.parametrize("status", [Mission.Status.DRAFT, Mission.Status.CLOSED])
def test_missions_not_published_are_left_out(client, status):
    MissionFactory(reference="PUB1")
    MissionFactory(reference="OUT1", status=status)

    urls = sitemap(client)

    assert f"{SITE}/missions/PUB1/" in urls
    assert [loc for loc in urls if "OUT1" in loc] == []


def test_the_catalogue_and_the_about_page_are_listed_too(client):
    urls = sitemap(client)

    assert {
        f"{SITE}/missions/",
        f"{SITE}/en/missions/",
        f"{SITE}/a-propos/",
        f"{SITE}/en/a-propos/",
    } <= urls.keys()


def test_addresses_come_from_site_url_never_from_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "autre.example"]
    MissionFactory(reference="PUB1")

    response = client.get("/sitemap.xml", headers={"host": "autre.example"})

    assert b"autre.example" not in response.content
    assert f"{SITE}/missions/PUB1/".encode() in response.content


def test_the_sitemap_reads_the_missions_in_one_query(client, django_assert_num_queries):
    MissionFactory.create_batch(5)

    with django_assert_num_queries(1):
        assert len(sitemap(client)) == 5 * 2 + 4
