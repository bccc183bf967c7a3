"""The parts of a mission page that are the same for every visitor, kept rendered.

A signed-in candidate's mission page cannot come from the page cache (``missions.cache``):
it holds their verdict, their application and their name in the header. What it shares
with every other visitor (the mission itself, its key facts, its texts and partners, its
JSON-LD) is rendered once per mission, language and missions version, and kept like the
filter lists (``missions.cache.kept_value``): a change of the mission bumps the version,
so the next page shows it; the deadline's countdown is at most ``KEPT_SECONDS`` old, as on
a cached page. With the page cache off (``PUBLIC_PAGE_CACHE_SECONDS=0``) nothing is kept.
"""

import datetime as dt
import re
from typing import NamedTuple

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from missions import cache as mission_cache
from missions import jsonld
from missions.models import Mission
from missions.selectors import MissionLinks, mission_links

# What a kept mission's reference may look like (the admin's references are shorter).
REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,40}")


class Sections(NamedTuple):
    structured_data: str  # the JSON-LD of an open mission, "" once closed
    facts: SafeString  # the key facts (place, status, dates, countdown)
    body: SafeString  # the notice, the texts, the partners


def public_mission(reference: str) -> Mission | None:
    """A published or closed mission by its reference, read once per missions version."""

    def read() -> Mission | None:
        return Mission.objects.public().filter(reference=reference).first()

    if not settings.PUBLIC_PAGE_CACHE_SECONDS or not REFERENCE.fullmatch(reference):
        return read()  # a made-up address is not kept, nor its key written
    found: Mission | None = mission_cache.kept_value(f"mission:{reference}", read)
    return found


def public_mission_or_404(reference: str) -> tuple[Mission, MissionLinks]:
    """A published or closed mission (404 otherwise), and its programmes, partners and
    knock-outs: what its page and the apply steps read (submitting reads them afresh)."""
    mission = public_mission(reference)
    if mission is None:
        raise Http404
    return mission, mission_links(mission)


def mission_sections(
    mission: Mission, links: MissionLinks, *, is_open: bool, now: dt.datetime
) -> Sections:
    """The shared parts of this mission's page, in the active language."""

    def render() -> Sections:
        context = {"mission": mission, "partner_names": links.partner_names, "now": now}
        context["is_open"] = is_open
        structured_data = ""
        if is_open:
            url = settings.SITE_URL + mission.get_absolute_url()
            terms = mission.terms(links.programmes, links.knockouts)
            posting = jsonld.job_posting(mission, url=url, terms=terms)
            structured_data = jsonld.as_script_text(posting)
        return Sections(
            structured_data=structured_data,
            facts=SafeString(render_to_string("missions/_mission_facts.html", context)),
            body=SafeString(render_to_string("missions/_mission_body.html", context)),
        )

    if not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return render()
    name = f"mission-sections:{mission.reference}:{get_language()}:{int(is_open)}"
    kept: Sections = mission_cache.kept_value(name, render)
    return kept
