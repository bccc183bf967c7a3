"""The files every site is asked for at its root: /robots.txt and the icons."""

import importlib.util
import re
import struct
from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

ICONS = Path(settings.BASE_DIR) / "static" / "icons"


def robots(client) -> tuple[str, RobotFileParser]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return text, parser


def test_robots_txt_opens_the_catalogue_and_closes_the_private_pages(client):
    text, parser = robots(client)

    public = ["/", "/missions/", "/missions/3S1284/", "/en/missions/3S1284/", "/a-propos/"]
    private = [
        "/me/",
        "/me/profile/",
        "/en/me/",
        "/admin/",
        "/admin/applications/application/",
        "/coordination/",
        "/en/coordination/3S1284/",
        "/accounts/login/",
        "/en/accounts/signup/",
        "/documents/0b6f7c1e-6d33-4c55-9a36-1d8f0e0f6a10/",
    ]
    assert [path for path in public if not parser.can_fetch("*", path)] == []
    assert [path for path in private if parser.can_fetch("*", path)] == []
    # Wildcards are for the big crawlers (RFC 9309); Python's parser reads them literally.
    assert "Disallow: /missions/*/apply/" in text and "Disallow: /en/missions/*/apply/" in text


def test_robots_txt_names_the_sitemap_at_the_public_address(client, settings):
    settings.SITE_URL = "https://volontiers.example.org"

    _text, parser = robots(client)

    assert parser.site_maps() == ["https://volontiers.example.org/sitemap.xml"]


def test_robots_txt_is_served_at_the_root_only(client):
    assert client.get("/en/robots.txt").status_code == 404


def ico_images(data: bytes) -> list[tuple[int, bytes]]:
    """The sizes and images of an ICO file, read from its directory."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an ICO file"
    images = []
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, _height, _colours, _reserved, _planes, _bits, size, offset = struct.unpack(
            "<BBBBHHII", entry
        )
        images.append((width, data[offset : offset + size]))
    return images


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_favicon_ico_answers_at_the_root_with_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    images = ico_images(body(response))
    assert [size for size, _image in images] == [16, 32, 48]
    assert [png_size(image) for _size, image in images] == [(16, 16), (32, 32), (48, 48)]


def test_the_touch_icon_answers_at_the_root_too(client):
    response = client.get("/apple-touch-icon.png")

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_size(body(response)) == (180, 180)


def test_every_page_links_its_icons_and_each_one_answers_as_an_image(client):
    page = client.get("/missions/").content.decode()

    links = re.findall(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"', page)
    assert sorted(rel for rel, _href in links) == ["apple-touch-icon", "icon", "icon"]
    types = {}
    for _rel, href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        body(response)  # read to the end, which closes the file
        types[Path(href).suffix] = response["Content-Type"]
    assert types == {".ico": "image/x-icon", ".svg": "image/svg+xml", ".png": "image/png"}


def test_the_icons_are_the_ones_tools_icons_py_draws():
    spec = importlib.util.spec_from_file_location(
        "icons", Path(settings.BASE_DIR) / "tools" / "icons.py"
    )
    assert spec and spec.loader
    icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icons)

    assert (ICONS / "favicon.svg").read_text() == icons.SVG
    assert (ICONS / "favicon.ico").read_bytes() == icons.ico()
    assert (ICONS / "apple-touch-icon.png").read_bytes() == icons.png(180, radius=0.0)
