"""The candidate's journey for bench/slow_link.py: its steps, timed, and the bytes they move.

Each step is timed from the action (a click, an address) to the next page's load event; its
bytes are those of the responses finished since the previous step ended (Chromium's
Network.loadingFinished encodedDataLength, redirects included) and of the request bodies
sent meanwhile (their Content-Length as sent). The forms are filled as
e2e/tests/test_candidate.py fills them, by their labels and roles.
"""

import re
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testing.profile_form import ProfileAnswers, fill_profile
from testing.smtp import SmtpServer

UP = 18_750  # bytes/s: 150 kbit/s
STEP_SECONDS = 120
PAGE_TARGET = 10.0  # seconds, every step but the upload
UPLOAD_GRACE = 5.0  # the upload: its bytes at 150 kbit/s, plus this
MISSION = "B0002"
COUNTRY = "MG"  # its host country (seed_bench)
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


# --- what a step moved ----------------------------------------------------------------------


@dataclass
class Traffic:
    """Bytes on the wire as Chromium counts them, from its DevTools events."""

    down: int = 0
    up: int = 0
    requests: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # "bytes method path" of each response

    def listen(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", self.sent)
        cdp.on("Network.requestWillBeSentExtraInfo", self.sent_extra)
        cdp.on("Network.loadingFinished", self.finished)

    def sent(self, event: dict[str, Any]) -> None:
        if event["request"]["url"].startswith("data:"):
            return  # an image inlined in a stylesheet: nothing on the wire
        self.requests += 1
        redirect = event.get("redirectResponse")
        if redirect:  # a redirect has no loadingFinished of its own
            self.down += int(redirect.get("encodedDataLength") or 0)
            self.note(int(redirect.get("encodedDataLength") or 0), event["requestId"])
        request = event["request"]
        path = re.sub(r"^https?://[^/]+", "", request["url"])
        self.urls[event["requestId"]] = f"{request['method']} {path[:90]}"

    def sent_extra(self, event: dict[str, Any]) -> None:
        # The headers as sent: Content-Length is the body's size, files included.
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        length = headers.get("content-length")
        if length and event["requestId"] not in self.seen:
            self.seen[event["requestId"]] = int(length)
            self.up += int(length)

    def finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] not in self.urls:
            return  # a data: URL
        self.down += int(event.get("encodedDataLength") or 0)
        self.note(int(event.get("encodedDataLength") or 0), event["requestId"])

    def note(self, size: int, request_id: str) -> None:
        self.log.append(f"{size:>9,} B  {self.urls.get(request_id, request_id)}")


@dataclass
class Step:
    name: str
    seconds: float
    down: int
    up: int
    requests: int
    upload: bool

    @property
    def target(self) -> float:
        return self.up / UP + UPLOAD_GRACE if self.upload else PAGE_TARGET

    @property
    def met(self) -> bool:
        return self.seconds <= self.target if self.upload else self.seconds < self.target


class Journey:
    """One page and its traffic; each ``step`` is timed and its bytes counted."""

    def __init__(self, page: Any, traffic: Traffic) -> None:
        self.page, self.traffic = page, traffic
        self.steps: list[Step] = []
        self.mark = (0, 0, 0)

    def step(self, name: str, action: Callable[[], Any], upload: bool = False) -> None:
        """Run ``action`` (a click or an address) and wait for the next page's load event."""
        started = time.monotonic()
        with self.page.expect_navigation(wait_until="load", timeout=STEP_SECONDS * 1000):
            action()
        seconds = time.monotonic() - started
        # What the page still fetches after its load (icons) belongs to this step; a page
        # that never goes idle is measured as it is.
        with suppress(Exception):
            self.page.wait_for_load_state("networkidle", timeout=STEP_SECONDS * 1000)
        now = (self.traffic.down, self.traffic.up, self.traffic.requests)
        down, up, requests = (b - a for a, b in zip(self.mark, now, strict=True))
        self.mark = now
        self.steps.append(Step(name, seconds, down, up, requests, upload))
        # The detail, on stderr: each response's bytes (0: from the browser's cache).
        print(f"{name}: {seconds:.1f} s, now at {self.page.url}", file=sys.stderr)
        print("\n".join(f"  {line}" for line in self.traffic.log), file=sys.stderr)
        self.traffic.log.clear()


# --- the candidate ------------------------------------------------------------------------


# A candidate in Dakar.
AWA_DIOP = ProfileAnswers(
    last_name="Diop", birth_date="1996-03-11", country="SN", city="Dakar",
    phone="+221 77 123 45 67", education_field="Économie sociale et solidaire",
    experience_years=4, french_level="C1",
)  # fmt: skip


def code_for(smtp: SmtpServer, address: str) -> str:
    """The code in the e-mail the worker sent to ``address`` (waited for, bounded)."""
    deadline = time.monotonic() + STEP_SECONDS
    while time.monotonic() < deadline:
        for message in reversed(smtp.messages):
            if address in str(message["To"]):
                plain = message.get_body(preferencelist=("plain",))
                found = CODE.search(plain.get_content() if plain else "")
                if found:
                    return found.group(1)
        time.sleep(0.1)
    raise TimeoutError(f"no sign-in code for {address} within {STEP_SECONDS} s")


def expect_url(page: Any, pattern: str) -> None:
    if not re.search(pattern, page.url):
        errors = page.locator(".invalid-feedback, .alert-danger, [role=alert]").all_inner_texts()
        raise RuntimeError(f"expected {pattern}, at {page.url}: {errors}")


def sign_up(journey: Journey, smtp: SmtpServer, email: str) -> float:
    """From the catalogue to the profile form, signed up by code; the e-mail's delay."""
    page = journey.page
    journey.step("catalogue", lambda: page.goto("/missions/", wait_until="commit"))
    # B0002 is past the first page, and past the first page of Madagascar's missions too
    # with 1,000 of them: the candidate searches its reference, as read on a flyer.
    page.get_by_label("Rechercher").fill(MISSION)
    page.get_by_label("Pays").select_option(COUNTRY)
    filtered = page.get_by_role("button", name="Filtrer")
    journey.step("catalogue searched by reference", lambda: filtered.click())
    link = page.get_by_role("link").and_(page.locator(f'[href="/missions/{MISSION}/"]'))
    journey.step("mission page", lambda: link.first.click())
    apply = page.get_by_role("link", name="Postuler en ligne")
    journey.step("apply → sign-in page", lambda: apply.click())
    expect_url(page, r"/accounts/login/")
    signup = page.get_by_role("main").get_by_role("link", name="enregistrer")
    journey.step("sign-up page", lambda: signup.click())
    page.get_by_label("Courriel").fill(email)
    button = page.get_by_role("main").get_by_role("button", name="Création de compte")
    journey.step("e-mail sent → code page", lambda: button.click())
    sent = time.monotonic()
    code = code_for(smtp, email)
    delay = time.monotonic() - sent
    page.get_by_label("Code").fill(code)
    confirm = page.get_by_role("button", name="Confirmer")
    journey.step("code → profile form", lambda: confirm.click())
    expect_url(page, r"/me/profile/")
    return delay


def apply(journey: Journey, cv: Path, letter: Path) -> None:
    """From the profile form to the application sent."""
    page = journey.page
    fill_profile(page, cv, AWA_DIOP)
    save = page.get_by_role("button", name="Enregistrer", exact=True)
    journey.step("profile + 1 MB CV → apply form", lambda: save.click(), upload=True)
    expect_url(page, rf"/missions/{MISSION}/apply/$")
    page.get_by_label("Lettre de motivation").set_input_files(letter)
    page.get_by_label("Quelques mots de motivation").fill("Quatre ans dans l'ESS à Dakar.")
    page.get_by_label("Je certifie que les informations").check()
    page.get_by_label("J'accepte que ma candidature").check()
    review = page.get_by_role("button", name="Vérifier avant l'envoi")
    journey.step("apply form (letter) → review", lambda: review.click())
    expect_url(page, r"/apply/review/")
    send = page.get_by_role("button", name="Envoyer ma candidature")
    journey.step("submit → sent", lambda: send.click())
    expect_url(page, rf"/missions/{MISSION}/apply/$")
    if "Candidature envoyée" not in page.get_by_role("main").inner_text():
        raise RuntimeError(f"not sent: {page.get_by_role('main').inner_text()[:500]}")
