import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django_countries import countries

from missions import cache as mission_cache
from missions.eligibility import KnockOut, ProgrammeTerms
from missions.models import Mission, MissionQuerySet, Programme, ordered_links

T = TypeVar("T")


def missions_for_catalogue(*, filters: dict[str, Any], now: dt.datetime) -> MissionQuerySet:
    """Public missions matching the list's cleaned filters, open ones first by nearest deadline.

    The list reads only the columns of its cards from it (``missions.cards.CARD_FIELDS``).
    """
    missions = Mission.objects.public()
    if filters.get("country"):
        missions = missions.filter(host_country=filters["country"])
    if filters.get("programme"):
        missions = missions.filter(programmes__slug=filters["programme"])
    if filters.get("framework"):
        missions = missions.filter(volunteer_status=filters["framework"])
    if filters.get("open_only"):
        missions = missions.open(now)
    if filters.get("q"):
        missions = missions_matching(missions, str(filters["q"]))
    return missions.open_first(now)


# What the catalogue's search reads: a translated field in each language (title_fr, title_en).
SEARCHABLE_FIELDS = ("reference", "title", "city", "context", "summary", "expected_results",
                     "tasks", "profile_education", "profile_experience", "skills",
                     "languages_note", "profile_other", "conditions", "selection")  # fmt: skip


def search_columns() -> list[str]:
    """Each searchable field's columns, in every language it is written in
    (``title_fr``, ``title_en``: missions/languages.py)."""
    names = {field.name for field in Mission._meta.get_fields()}
    columns = []
    for field in SEARCHABLE_FIELDS:
        translated = f"{field}_fr" in names
        columns += [f"{field}_{code}" for code, _n in settings.LANGUAGES] if translated else [field]
    return columns


def countries_named(word: str) -> set[str]:
    """The codes of the countries whose French or English name holds the word."""
    codes = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            codes |= {code for code, name in countries if word.lower() in str(name).lower()}
    return codes


def missions_matching(missions: MissionQuerySet, text: str) -> MissionQuerySet:
    """Missions whose title, sections or country name hold every word of the text, each
    word in French or in English (up to ten words)."""
    columns = search_columns()
    for word in text.split()[:10]:
        matches = Q(host_country__in=countries_named(word))
        for column in columns:
            matches |= Q(**{f"{column}__icontains": word})
        missions = missions.filter(matches)
    return missions


class MissionLinks(NamedTuple):
    """A mission's programmes (their names and the rules they add to its eligibility), its
    partners' names, each in their model's order (by name), its knock-out questions (in
    the mission's order), and whether it asks questions at all (the apply steps read them
    only then)."""

    programmes: tuple[ProgrammeTerms, ...]
    partner_names: tuple[str, ...]
    knockouts: tuple[KnockOut, ...] = ()
    asks_questions: bool = False


NO_LINKS = MissionLinks((), ())
# The kept table's name: change the number when MissionLinks or ProgrammeTerms change, so that
# workers of the new code never read a table pickled by the old (during a deployment).
LINKS_TABLE = "missions:links:3"


def mission_links(mission: Mission) -> MissionLinks:
    """A public mission's programmes and partners.

    They come from a table of every public mission's links, kept like the filter lists until a
    mission, a programme or a partner changes (``missions.cache.kept_value``: the admin and the
    loader bump the version, so their changes show at once): the mission page and the cards
    cost no query for them. A mission the table does not hold (published from a shell since)
    is read from the database; other changes made without a bump show within two minutes at
    most. Applying always checks the rules against the database.
    """
    links = links_table([mission.pk]).get(mission.pk)
    if links is None:
        links = mission_links_table([mission.pk]).get(mission.pk, NO_LINKS)
    return links


def links_table(mission_ids: list[int]) -> dict[int, MissionLinks]:
    """The links of these missions (at least): from the kept table of every public mission,
    or, while the shared cache is unreachable (nothing is kept then), of these only."""
    if not mission_cache.version():
        return mission_links_table(mission_ids)
    table: dict[int, MissionLinks] = mission_cache.kept_value(LINKS_TABLE, mission_links_table)
    return table


def mission_links_table(mission_ids: list[int] | None = None) -> dict[int, MissionLinks]:
    """Every public mission's links (or these missions'), by mission id: ``NO_LINKS`` for a
    mission without any. Four queries: the programmes with their links, the partners' names,
    the questions (the knock-outs among them), the missions' ids."""
    missions = Mission.objects.public()
    if mission_ids is not None:
        missions = missions.filter(pk__in=mission_ids)
    shared: dict[int, ProgrammeTerms] = {}  # one object per programme in the table

    def terms(programme: Programme) -> ProgrammeTerms:
        if programme.pk not in shared:
            shared[programme.pk] = ProgrammeTerms.from_programme(programme)
        return shared[programme.pk]

    programme_links = by_mission(
        (link.mission_id, terms(link.programme))
        for link in Mission.programmes.through.objects.filter(mission__in=missions)
        .select_related("programme")
        .order_by("programme__name", "programme_id")  # Programme.Meta.ordering
    )
    partner_names = by_mission(
        Mission.partners.through.objects.filter(mission__in=missions)
        .order_by("partner__name", "partner_id")  # Partner.Meta.ordering
        .values_list("mission_id", "partner__name")
    )
    question_links = list(ordered_links().filter(mission__in=missions))
    asking = {link.mission_id for link in question_links}
    knockouts = by_mission(
        (link.mission_id, KnockOut.from_question(link.question))
        for link in question_links
        if link.question.knockout_values
    )
    return {
        mission_id: MissionLinks(
            tuple(programme_links.get(mission_id, ())),
            tuple(partner_names.get(mission_id, ())),
            tuple(knockouts.get(mission_id, ())),
            mission_id in asking,
        )
        if mission_id in programme_links or mission_id in partner_names or mission_id in asking
        else NO_LINKS
        for mission_id in missions.values_list("pk", flat=True)
    }


def by_mission(pairs: Iterable[tuple[int, T]]) -> dict[int, list[T]]:
    """(mission id, value) pairs as each mission's list of values, in the pairs' order."""
    grouped: dict[int, list[T]] = {}
    for mission_id, value in pairs:
        grouped.setdefault(mission_id, []).append(value)
    return grouped
