"""bench/slow_link.py's parts that need no browser: the CV it sends, the bytes it counts and
its verdicts (the journey itself runs in `make bench`)."""

import gzip
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from core.documents import validate_document

# bench/ is a folder of scripts, not a package: import them as slow_link.py does.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import slow_journey
import slow_link


def test_the_cv_is_a_readable_pdf_of_a_mebibyte_that_nothing_can_compress():
    data = slow_link.cv_pdf()

    assert 1024 * 1024 <= len(data) < 1024 * 1024 + 4096
    assert validate_document(SimpleUploadedFile("cv.pdf", data, "application/pdf")) == "pdf"
    assert len(gzip.compress(data)) > 0.99 * len(data)


def request(request_id: str, url: str, method: str = "GET", **extra) -> dict:
    return {"requestId": request_id, "request": {"url": url, "method": method}, **extra}


def test_traffic_counts_responses_redirects_and_bodies_once_and_no_inlined_image():
    traffic = slow_journey.Traffic()

    traffic.sent(request("1", "http://127.0.0.1:8000/me/profile/", "POST"))
    traffic.sent_extra({"requestId": "1", "headers": {"Content-Length": "1050649"}})
    traffic.sent_extra({"requestId": "1", "headers": {"Content-Length": "1050649"}})
    redirect = {"encodedDataLength": 830}
    traffic.sent(request("1", "http://127.0.0.1:8000/apply/", redirectResponse=redirect))
    traffic.finished({"requestId": "1", "encodedDataLength": 10340})
    traffic.sent(request("2", "data:image/svg+xml,%3csvg%3e"))
    traffic.finished({"requestId": "2", "encodedDataLength": 120})

    assert (traffic.down, traffic.up, traffic.requests) == (830 + 10340, 1050649, 2)


def test_the_upload_may_take_its_bytes_at_150_kbits_plus_five_seconds_a_page_under_ten():
    upload = slow_journey.Step("profile", 61.0, 0, 1_050_000, 1, upload=True)
    assert upload.target == 1_050_000 / 18_750 + 5 == 61.0
    assert upload.met
    assert not slow_journey.Step("profile", 61.1, 0, 1_050_000, 1, upload=True).met
    assert slow_journey.Step("page", 9.9, 40_000, 0, 5, upload=False).met
    assert not slow_journey.Step("page", 10.0, 40_000, 0, 5, upload=False).met
