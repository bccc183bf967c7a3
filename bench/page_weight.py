"""What a first visit to /missions/ transfers, compressed as WhiteNoise and nginx send it."""

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

LIMIT = 100 * 1024


def main() -> None:
    html = Client(HTTP_HOST="127.0.0.1").get("/missions/").content
    rows = [("/missions/ (HTML)", len(html), len(gzip.compress(html, 9)))]
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        name = url.decode().removeprefix(settings.STATIC_URL)
        path = Path(settings.STATIC_ROOT) / name
        if not path.exists():
            path = Path(finders.find(name.rsplit(".", 2)[0] + "." + name.rsplit(".", 1)[1]) or "")
        body = path.read_bytes()
        rows.append((url.decode(), len(body), len(gzip.compress(body, 9))))
    total = sum(compressed for _, _, compressed in rows)
    print("## First visit to /missions/ (target: at most 100 KiB compressed, no third party)\n")
    print("| resource | bytes | gzip |\n| --- | ---: | ---: |")
    for url, raw, compressed in rows:
        print(f"| `{url}` | {raw:,} | {compressed:,} |")
    verdict = "within" if total <= LIMIT else "OVER"
    print(f"| **total** | | **{total:,}** ({total / 1024:.1f} KiB, {verdict} the target) |")
    # What the browser fetches: stylesheets, scripts, images, fonts (not links to pages).
    fetched = re.findall(
        rb'<(?:script|img)[^>]+src="([^"]+)"|<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html
    )
    urls = [(a or b).decode() for a, b in fetched]
    third_party = [u for u in urls if u.startswith(("http://", "https://", "//"))]
    print(f"\nResources fetched by the page: {len(urls)}, from a third party: {len(third_party)}.")


main()
