"""Posts of a file-upload form: GET it once for its CSRF token, then POST multipart bodies with
generated PDFs, one after the other on one connection at a time (Python's http.client: it
must read the token and count exact posts, which wrk cannot).

A post counts when its status is expected (Django's redirect after a valid form, by
default); redirects are not followed and cookies set by a post are not kept, so every post
is the same request but for `{n}` (the post's number) and `{run}` (the run's id) in fields.
"""

import http.client
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from core.pdf_file import pdf_file

from .load import assert_loopback

TOKEN_INPUT = re.compile(rb"<input[^>]*name=[\"']csrfmiddlewaretoken[\"'][^>]*>")
VALUE = re.compile(rb"value=[\"']([^\"']+)")


def pdf_bytes(size: int, seed: int) -> bytes:
    """A valid one-page PDF 1.4 of about `size` bytes: the page, then incompressible filler."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    filler = random.Random(seed).randbytes(max(0, size - 600))  # noqa: S311 -- filler
    objects.append(b"<< /Length %d >>\nstream\n%b\nendstream" % (len(filler), filler))
    return pdf_file(objects)


def request(url: str, method: str, headers: dict[str, str], body: list[bytes]) -> tuple[Any, ...]:
    """One request on a fresh connection (gunicorn's sync workers close it anyway)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=120)
    try:
        connection.putrequest(method, url.split(parts.netloc, 1)[1], skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for chunk in body:
            connection.send(chunk)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def form_session(url: str, cookie: str) -> tuple[dict[str, str], str]:
    """The form's cookies (the session's and csrftoken) and the token to post with them."""
    cookies = dict(part.strip().split("=", 1) for part in cookie.split(";") if "=" in part)
    status, headers, body = request(url, "GET", cookie_header(cookies), [])
    if status != 200:
        raise RuntimeError(f"the form {url} answered {status}, not 200 (behind a login?)")
    for set_cookie in headers.get_all("Set-Cookie") or []:
        cookies.update((name, morsel.value) for name, morsel in SimpleCookie(set_cookie).items())
    tag = TOKEN_INPUT.search(body)
    value = VALUE.search(tag.group(0)) if tag else None
    token = value.group(1).decode() if value else cookies.get("csrftoken", "")
    return cookies, token


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


@dataclass
class Form:
    """What every post of a run sends: the form's cookies, token, fields and files."""

    url: str
    fields: dict[str, str]
    files: list[str]
    file_kb: int
    cookie: str = ""
    run_id: str = field(default_factory=lambda: time.strftime("%Y%m%d%H%M%S"))
    boundary: str = field(default_factory=lambda: "----benchharness" + secrets.token_hex(12))

    def prepare(self) -> None:
        self.cookies, self.token = form_session(self.url, self.cookie)
        self.tail: list[bytes] = []
        for seed, name in enumerate(self.files):
            self.tail += [
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="bench-{name}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode(),
                pdf_bytes(self.file_kb * 1024, seed),
                b"\r\n",
            ]
        self.tail.append(f"--{self.boundary}--\r\n".encode())

    def post(self, n: int) -> tuple[float, int, bytes, int]:
        """Post number `n`: seconds from connect to the response's last byte, status, body, size."""
        values = {"csrfmiddlewaretoken": self.token}
        values |= {k: str(v).format(n=n, run=self.run_id) for k, v in self.fields.items()}
        head = "".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in values.items()
        ).encode()
        size = len(head) + sum(len(chunk) for chunk in self.tail)
        headers = cookie_header(self.cookies) | {
            "Content-Type": f"multipart/form-data; boundary={self.boundary}",
            "Content-Length": str(size),
            "Origin": "http://" + urlsplit(self.url).netloc,
            "Referer": self.url,
        }
        started = time.perf_counter()
        status, _, body = request(self.url, "POST", headers, [head, *self.tail])
        return time.perf_counter() - started, status, body, size


def nearest_rank(ordered: list[float], percent: float) -> float:
    """With 100 samples, p99 is the second slowest."""
    if not ordered:
        return float("nan")
    return ordered[max(1, -(-len(ordered) * int(percent) // 100)) - 1]


def measure(form: Form, posts: int, warmup: int, first_n: int, expect: list[int]) -> dict[str, Any]:
    """`warmup` posts not counted, then `posts` timed ones; numbered from `first_n`."""
    assert_loopback(form.url)
    form.prepare()
    for n in range(first_n, first_n + warmup):
        form.post(n)
    seconds: list[float] = []
    statuses: dict[str, int] = {}
    first_error, sent = None, 0
    started = time.perf_counter()
    for n in range(first_n + warmup, first_n + warmup + posts):
        took, status, body, size = form.post(n)
        seconds.append(took)
        sent += size
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status not in expect and first_error is None:
            first_error = f"{status}: {body[:300].decode('utf-8', 'replace')}"
    elapsed = time.perf_counter() - started
    seconds.sort()
    return {
        "rps": len(seconds) / elapsed,
        "p50_ms": nearest_rank(seconds, 50) * 1000,
        "p99_ms": nearest_rank(seconds, 99) * 1000,
        "requests": len(seconds),
        "errors": sum(c for s, c in statuses.items() if int(s) not in expect),
        "statuses": statuses,
        "first_error": first_error,
        "upload_mb_per_req": sent / max(len(seconds), 1) / 1e6,
        "next_n": first_n + warmup + posts,
    }
