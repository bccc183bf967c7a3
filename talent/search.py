"""Staff search over pool members and past applicants: words (PostgreSQL full text, French and
English, unaccented, ranked, with highlighted extracts; icontains on SQLite), languages at a
minimum level, nationality, regular residence, past missions and stages reached.

A page costs the same few queries however many results it shows: the count, the page (with
its extracts and pool membership), the languages and the applications of its volunteers, the
invitations to the target mission, and the target mission's terms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from applications.models import Application, Stage, StageChange
from core.paginators import WindowCountPaginator
from missions.eligibility import Verdict, evaluate
from missions.models import Mission
from talent.models import Invitation, SearchProfile
from volunteers.models import CefrLevel, VolunteerLanguage
from volunteers.pool import pool_members

# Private-use characters around the words found: the extract is escaped, then they become
# <mark>; search_profile_refresh removes them from the candidates' texts.
START, STOP = "\ue000", "\ue001"
LEVELS = [level.value for level in CefrLevel]  # A1 … C2, then native: in order
EXTRACT_WORDS = 400  # on SQLite: characters around the first word found


@dataclass(frozen=True)
class Criteria:
    words: str = ""
    # (language, minimum level) pairs: every one must be met.
    languages: tuple[tuple[str, str], ...] = ()
    nationality: str = ""
    regular_residence: str = ""
    past_mission: int | None = None
    stage_reached: str = ""
    pool_only: bool = False


@dataclass
class Result:
    profile: SearchProfile
    extract: SafeString
    in_pool: bool
    verdict: Verdict | None = None
    invited: bool = False
    applications: list[Application] = field(default_factory=list)


def levels_from(level: str) -> list[str]:
    """The levels at least as good as ``level``."""
    return LEVELS[LEVELS.index(level) :] if level in LEVELS else LEVELS


def text_query(words: str) -> SearchQuery:
    """The words, stemmed as French and as English: a profile matching either is found."""
    return SearchQuery(words, config="fr_unaccent", search_type="websearch") | SearchQuery(
        words, config="en_unaccent", search_type="websearch"
    )


def pool_member(*, now: dt.datetime) -> Exists:
    """Whether a search profile's volunteer is in the pool now."""
    return Exists(pool_members(now=now).filter(pk=OuterRef("volunteer_id")))


def profiles_found(*, criteria: Criteria, now: dt.datetime) -> Any:
    """The ids of the search profiles matching, best first (PostgreSQL ranks them)."""
    member = pool_member(now=now)
    scope = Q(applied=True) | Q(member)  # past applicants, and pool members
    found: Any = SearchProfile.objects.filter(scope)
    if criteria.pool_only:
        found = found.filter(member)
    found = filtered(found, criteria)
    words = criteria.words.strip()
    if words and connection.vendor == "postgresql":
        query = text_query(words)
        return (
            found.filter(vector=query)
            .annotate(rank=SearchRank(F("vector"), query))
            .order_by("-rank", "volunteer_id")
            .values("volunteer_id")
        )
    for word in words.split():
        found = found.filter(
            Q(profile_text__icontains=word)
            | Q(answers_text__icontains=word)
            | Q(documents_text__icontains=word)
        )
    return found.order_by("-refreshed_at", "volunteer_id").values("volunteer_id")


def with_headlines(profiles: Any, words: str) -> Any:
    if not (words and connection.vendor == "postgresql"):
        return profiles.annotate(headline=Value(""))
    headline = SearchHeadline(
        all_text(), text_query(words), config="fr_unaccent", start_sel=START, stop_sel=STOP,
        max_fragments=3, min_words=8, max_words=24, fragment_delimiter=" … ",
    )  # fmt: skip
    return profiles.annotate(headline=headline)


def all_text() -> Concat:
    return Concat(
        "profile_text", Value("\n"), "answers_text", Value("\n"), "documents_text",
        output_field=TextField(),
    )  # fmt: skip


def filtered(found: QuerySet[SearchProfile], criteria: Criteria) -> QuerySet[SearchProfile]:
    for language, level in criteria.languages:
        found = found.filter(
            Exists(
                VolunteerLanguage.objects.filter(
                    volunteer=OuterRef("volunteer_id"),
                    language=language,
                    level__in=levels_from(level),
                )
            )
        )
    # CountryField(multiple) keeps "FR,SN": two-letter codes, so a substring is a code.
    if criteria.nationality:
        found = found.filter(volunteer__nationalities__contains=criteria.nationality)
    if criteria.regular_residence:
        found = found.filter(volunteer__regular_residences__contains=criteria.regular_residence)
    if criteria.past_mission or criteria.stage_reached:
        # Reached: the stage is in the history, whatever came after (shortlisted, then refused).
        moves = StageChange.objects.filter(application__volunteer=OuterRef("volunteer_id"))
        if criteria.past_mission:
            moves = moves.filter(application__mission_id=criteria.past_mission)
        if criteria.stage_reached:
            moves = moves.filter(to_stage=criteria.stage_reached)
        else:
            moves = moves.exclude(to_stage=Stage.DRAFT)
        found = found.filter(Exists(moves))
    return found


def marked(headline: str) -> SafeString:
    """The extract, escaped, with the words found in <mark>."""
    text = escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(text)  # noqa: S308 -- escaped just above; only our own tags added


def plain_extract(profile: SearchProfile, words: str) -> SafeString:
    """SQLite's extract: the text around the first word found, escaped, the word marked."""
    text = "\n".join((profile.profile_text, profile.answers_text, profile.documents_text))
    first = words.split()[0] if words.split() else ""
    found = re.search(re.escape(first), text, re.IGNORECASE) if first else None
    if found is None:
        return marked(text[:EXTRACT_WORDS])
    start = max(0, found.start() - EXTRACT_WORDS // 2)
    piece = text[start : found.start()] + START + found.group() + STOP
    return marked(piece + text[found.end() : found.end() + EXTRACT_WORDS // 2])


def search_page(
    *, criteria: Criteria, page: Any, per_page: int, now: dt.datetime, target: Mission | None
) -> tuple[Page[Any], list[Result]]:
    """One page of results, each with its extract, languages, applications, pool status and,
    for a target mission, its eligibility and whether it was invited already.

    The ranked ids and their total come in one query (``WindowCountPaginator``); the page's
    rows, extracts and relations in a few more, whatever the page's size.
    """
    found = profiles_found(criteria=criteria, now=now)
    paginated = WindowCountPaginator(found, per_page).get_page(page)
    ids = [row["volunteer_id"] for row in paginated.object_list]
    rows = with_headlines(page_profiles(ids, now=now), criteria.words.strip())
    by_id = {profile.volunteer_id: profile for profile in rows}
    profiles = [by_id[pk] for pk in ids if pk in by_id]
    invited: set[int] = set()
    terms = None
    if target is not None and profiles:
        terms = target.terms()
        invited = set(
            Invitation.objects.filter(mission=target, volunteer_id__in=ids).values_list(
                "volunteer_id", flat=True
            )
        )
    return paginated, [
        Result(
            profile=profile,
            extract=extract_of(profile, criteria.words),
            in_pool=profile.in_pool,
            verdict=evaluate(terms, profile.volunteer.facts(), now) if terms else None,
            invited=profile.volunteer_id in invited,
            applications=profile.volunteer.sent,
        )
        for profile in profiles
    ]


def page_profiles(ids: list[int], *, now: dt.datetime) -> Any:
    return (
        SearchProfile.objects.filter(volunteer_id__in=ids)
        .annotate(in_pool=pool_member(now=now))
        .select_related("volunteer__user")
        .prefetch_related(
            "volunteer__languages",
            Prefetch(
                "volunteer__applications",
                queryset=Application.objects.exclude(stage=Stage.DRAFT)
                .select_related("mission")
                .order_by("-submitted_at"),
                to_attr="sent",
            ),
        )
    )


def extract_of(profile: Any, words: str) -> SafeString:
    if connection.vendor == "postgresql" or not words.strip():
        return marked(profile.headline)
    return plain_extract(profile, words)
