"""``seed_bench --spread``: the data of the dashboard's benchmark (bench/dashboard_bench.py).

Applications spread over every mission, the year before now and every stage. Each is begun as
a draft in its mission's open weeks (more of them near the deadline), most are sent, then
moved by ``demo.stats.stage_path``, with a history row per move and ``stage_since`` set as
the services leave them. The dashboard's counts are then derived from those rows in SQL, as
the services would have counted them, with the public pages' views, checks and verdicts in
proportion to the drafts (``counts_derive``). Candidates apply to a few missions each; five
programmes share the missions, and a coordinator has twenty of them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from applications.models import Application, Stage, StageChange
from applications.services import profile_snapshot
from demo.copying import bulk_load, ids_reserve, rows_copy
from demo.stats import NATIONALITIES, REFUSAL_RULES, RESIDENCES, SOURCES, stage_path, weighted
from missions.models import Mission, Programme, StageTime, Tally
from review.roles import COORDINATORS
from volunteers.models import User, Volunteer

PER_VOLUNTEER = 4  # missions each candidate applies to
NEVER_SENT = 0.12  # drafts left as they are
PROGRAMMES = 5
COORDINATOR = "bench-coordinator@example.org"
COORDINATED = 20
ELIGIBILITY = {"eligible": True, "rules_version": "bench", "findings": []}
# The public pages, per draft begun: drafts are about a third of the eligible verdicts, which
# are 70 % of the checks, themselves 30 % of the page's views.
ELIGIBLE_PER_DRAFT = 1 / 0.35
CHECKS_PER_DRAFT = ELIGIBLE_PER_DRAFT / 0.7
VIEWS_PER_DRAFT = CHECKS_PER_DRAFT / 0.3
# The key of the seed's time in the database's comment (seed_time_record).
SEED_TIME = "seed_bench --spread"
# (mission, its window's start and end): when its candidates may begin a draft.
Window = tuple[Mission, dt.datetime, dt.datetime]


def mission_dates(n: int, today: dt.date, rng: random.Random) -> tuple[dt.date, dt.date]:
    """A mission's deadline and publication: over the last year, the first ten still open."""
    deadline = today + dt.timedelta(days=rng.randint(30, 120) if n <= 10 else rng.randint(-330, 45))
    return deadline, deadline - dt.timedelta(days=rng.randint(40, 90))


def programmes_seed(missions: Sequence[Mission], prefix: str) -> None:
    """Each mission in one of the programmes, one in ten in a second one."""
    programmes = Programme.objects.bulk_create(
        Programme(slug=f"{prefix.lower()}-programme-{n}", name=f"Programme {n} (bench)")
        for n in range(1, PROGRAMMES + 1)
    )
    through = Mission.programmes.through
    rows = [
        through(mission=m, programme=programmes[i % PROGRAMMES]) for i, m in enumerate(missions)
    ]
    rows += [
        through(mission=m, programme=programmes[(i + 1) % PROGRAMMES])
        for i, m in enumerate(missions)
        if i % 10 == 0
    ]
    through.objects.bulk_create(rows)


def coordinator_seed(missions: Sequence[Mission]) -> None:
    """A coordinator (no staff rights) of every fiftieth mission."""
    User.objects.filter(email=COORDINATOR).delete()
    user = User.objects.create_user(email=COORDINATOR, password=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    step = max(1, len(missions) // COORDINATED)
    for mission in missions[::step][:COORDINATED]:
        mission.coordinators.add(user)


# The columns each seeded row gives (demo.copying.rows_copy); the others keep their defaults.
USER_COLUMNS = ("id", "email", "password")
VOLUNTEER_COLUMNS = (
    "id", "user_id", "first_name", "last_name", "birth_date", "nationalities", "residence",
    "experience_years", "city", "phone", "education_level", "education_field", "consent_at",
    "consent_version",
)  # fmt: skip
APPLICATION_COLUMNS = (
    "id", "volunteer_id", "mission_id", "source", "created_at", "updated_at", "stage",
    "stage_since", "number", "reference", "submitted_at", "withdrawn_at", "eligibility",
    "profile",
)  # fmt: skip
STAGE_CHANGE_COLUMNS = ("application_id", "from_stage", "to_stage", "at")
# An application's values from "source" to "profile"; its moves: (from, to, when).
Values = tuple[Any, ...]
Moves = list[tuple[str, str, dt.datetime]]


def applications_seed(
    *, missions: Sequence[Mission], count: int, batch: int, rng: random.Random, domain: str
) -> None:
    """``count`` applications by candidates applying to ``PER_VOLUNTEER`` missions each, the
    popular missions more, in batches of ``batch`` candidates, written with COPY in one
    transaction (``bulk_load``)."""
    now = timezone.now()
    windows = [window for mission in missions if (window := mission_window(mission, now))]
    popularity = list(itertools.accumulate(rng.lognormvariate(0, 0.8) for _ in windows))
    numbers: Counter[int] = Counter()
    each = min(PER_VOLUNTEER, len(windows))
    candidates = -(-count // each) if each else 0
    template = profile_template()
    made = 0
    with bulk_load(Application, StageChange):
        for start in range(0, candidates, batch):
            size = min(batch, candidates - start)
            users = [
                (pk, f"c{start + k}{domain}", "!") for k, pk in enumerate(ids_reserve(User, size))
            ]
            volunteers = [
                volunteer_row(pk, user, rng)
                for pk, user in zip(ids_reserve(Volunteer, size), users, strict=True)
            ]
            applications: list[tuple[int, int, Values, Moves]] = []
            for volunteer, (_pk, email, _password) in zip(volunteers, users, strict=True):
                profile = json.dumps(profile_make(template, volunteer, email))
                for window in missions_pick(windows, popularity, rng, each)[: count - made]:
                    values, moves = application_make(window, profile, numbers, rng, now)
                    applications.append((volunteer[0], window[0].pk, values, moves))
                    made += 1
            batch_copy(users, volunteers, applications)


def batch_copy(
    users: list[Values],
    volunteers: list[Values],
    applications: list[tuple[int, int, Values, Moves]],
) -> None:
    """A batch's rows in four COPYs: each application (volunteer, mission, values, moves)
    gets its key here, its moves refer to it."""
    ids = ids_reserve(Application, len(applications))
    rows_copy(User, USER_COLUMNS, users)
    rows_copy(Volunteer, VOLUNTEER_COLUMNS, volunteers)
    rows_copy(
        Application,
        APPLICATION_COLUMNS,
        (
            (pk, volunteer, mission, *values)
            for pk, (volunteer, mission, values, _moves) in zip(ids, applications, strict=True)
        ),
    )
    rows_copy(
        StageChange,
        STAGE_CHANGE_COLUMNS,
        ((pk, *move) for pk, (*_a, moves) in zip(ids, applications, strict=True) for move in moves),
    )


def mission_window(mission: Mission, now: dt.datetime) -> Window | None:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(mission.published_on or now.date(), dt.time(8), tzinfo=zone)
    start = start.astimezone(dt.UTC)  # so that adding to it crosses no change of hour
    end = min(mission.deadline_at, now)
    return (mission, start, end) if start < end else None


def missions_pick(
    windows: list[Window], popularity: list[float], rng: random.Random, count: int
) -> list[Window]:
    """``count`` different missions, each as likely to be chosen as it is popular."""
    chosen: dict[int, Window] = {}
    while len(chosen) < count:
        index = min(bisect.bisect(popularity, rng.random() * popularity[-1]), len(windows) - 1)
        chosen[index] = windows[index]
    return list(chosen.values())


def volunteer_row(pk: int, user: tuple[int, str, str], rng: random.Random) -> Values:
    """A candidate's row (``VOLUNTEER_COLUMNS``)."""
    residence = weighted(rng, RESIDENCES)[0]
    nationality = residence if rng.random() < 0.8 else weighted(rng, NATIONALITIES)[0]
    return (
        pk,
        user[0],
        rng.choice(["Awa", "Moussa", "Léa", "Koffi", "Inès", "Ibrahima", "Chloé"]),
        rng.choice(["Ndiaye", "Diallo", "Martin", "Traoré", "Mensah", "Dubois"]),
        dt.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality,
        residence,
        rng.randint(0, 12),
        *VOLUNTEER_CONSTANTS,
        timezone.now(),
        settings.PRIVACY_NOTICE_VERSION,
    )


# A seeded candidate's city, phone and studies (VOLUNTEER_COLUMNS after experience_years).
VOLUNTEER_CONSTANTS = ("Lyon", "+33612345678", "bac5", "Développement international")


def profile_template() -> dict[str, Any]:
    """The profile snapshot (applications.services.profile_snapshot) of a seeded candidate,
    each candidate's own values put in by ``profile_make``."""
    city, phone, level, field = VOLUNTEER_CONSTANTS
    volunteer = Volunteer(
        user=User(email=""), city=city, phone=phone, education_level=level, education_field=field
    )
    return profile_snapshot(volunteer, languages={"fr": "native", "en": "B2"})


def profile_make(template: dict[str, Any], volunteer: Values, email: str) -> dict[str, Any]:
    _pk, _user, first, last, birth, nationality, residence, years, *_rest = volunteer
    return {
        **template,
        "first_name": first,
        "last_name": last,
        "email": email,
        "birth_date": birth.isoformat(),
        "nationalities": [nationality],
        "residence": residence,
        "experience_years": years,
    }


def application_make(
    window: Window, profile: str, numbers: Counter[int], rng: random.Random, now: dt.datetime
) -> tuple[Values, Moves]:
    """An application's values (``APPLICATION_COLUMNS`` from ``source``) and its moves (from,
    to, when), begun in the mission's window, more of them near its end."""
    mission, start, end = window
    begun = start + (end - start) * (1 - rng.random() ** 2)
    source = weighted(rng, SOURCES)[0]
    if rng.random() < NEVER_SENT:
        return (
            source,
            begun,
            begun,
            str(Stage.DRAFT),
            begun,
            None,
            None,
            None,
            None,
            "{}",
            "{}",
        ), []
    sent = min(begun + dt.timedelta(hours=rng.uniform(0, 72)), end)
    moves: Moves = [(str(Stage.DRAFT), str(Stage.SUBMITTED), sent)]
    for stage, at in stage_path(rng, sent=sent, now=now):
        moves.append((moves[-1][1], stage, at))
    numbers[mission.pk] += 1
    number = numbers[mission.pk]
    stage, since = moves[-1][1], moves[-1][2]
    eligibility = json.dumps({**ELIGIBILITY, "evaluated_at": sent.isoformat()})
    withdrawn = since if stage == Stage.WITHDRAWN else None
    reference = f"{mission.reference}-{number:06d}"
    values = (
        source,
        begun,
        since,
        stage,
        since,
        number,
        reference,
        sent,
        withdrawn,
        eligibility,
        profile,
    )
    return values, moves


def counts_derive(*, prefix: str) -> None:
    """The dashboard's counts of the missions whose reference starts with ``prefix``, from
    their applications and history, as the services count them (``applications.stages``)."""
    params: dict[str, Any] = {
        "prefix": f"{prefix}%",
        "zone": settings.TIME_ZONE,
        "rules": list(REFUSAL_RULES),
        "shares": [weight / sum(REFUSAL_RULES.values()) for weight in REFUSAL_RULES.values()],
        "views": VIEWS_PER_DRAFT,
        "checks": CHECKS_PER_DRAFT,
        "eligible": ELIGIBLE_PER_DRAFT,
    }
    # Millions of counts: loaded as the applications are (bulk_load), with room for the sorts
    # and hashes of a million rows (4 MB by default: they spilt to disk).
    with bulk_load(Tally, StageTime), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for statement in COUNTS:
            cursor.execute(statement, params)


# Days are the site's (missions.tallies.local_day); the bench missions are those of the prefix.
COUNTS = (
    # Drafts begun, by the day each was begun.
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT a.mission_id, (a.created_at AT TIME ZONE %(zone)s)::date, 'draft', '', count(*) "
    "FROM applications_application a JOIN missions_mission m ON m.id = a.mission_id "
    "WHERE m.reference LIKE %(prefix)s GROUP BY 1, 2",
    # Applications sent, where they came from and the candidates' countries, by day of sending.
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT a.mission_id, (a.submitted_at AT TIME ZONE %(zone)s)::date, e.event, e.detail, "
    "count(*) FROM applications_application a JOIN missions_mission m ON m.id = a.mission_id "
    "CROSS JOIN LATERAL (VALUES ('submitted', ''), ('source', a.source), "
    "('residence', a.profile->>'residence')) AS e(event, detail) "
    "WHERE m.reference LIKE %(prefix)s AND a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4",
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT a.mission_id, (a.submitted_at AT TIME ZONE %(zone)s)::date, 'nationality', n.code, "
    "count(*) FROM applications_application a JOIN missions_mission m ON m.id = a.mission_id "
    "CROSS JOIN LATERAL jsonb_array_elements_text(a.profile->'nationalities') AS n(code) "
    "WHERE m.reference LIKE %(prefix)s AND a.submitted_at IS NOT NULL GROUP BY 1, 2, 4",
    # Each stage reached, once: the seeded moves never go back.
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT a.mission_id, (h.at AT TIME ZONE %(zone)s)::date, 'reached', h.to_stage, count(*) "
    "FROM applications_stagechange h JOIN applications_application a ON a.id = h.application_id "
    "JOIN missions_mission m ON m.id = a.mission_id "
    "WHERE m.reference LIKE %(prefix)s AND h.to_stage <> 'submitted' GROUP BY 1, 2, 4",
    # Whole days in the stage left, since the move before (the draft: since its creation).
    "INSERT INTO missions_stagetime (mission_id, day, stage, days, count) "
    "SELECT mission_id, day, stage, days, count(*) FROM ("
    "SELECT a.mission_id, (h.at AT TIME ZONE %(zone)s)::date AS day, h.from_stage AS stage, "
    "floor(extract(epoch FROM h.at - coalesce(lag(h.at) OVER (PARTITION BY h.application_id "
    "ORDER BY h.at, h.id), a.created_at)) / 86400)::integer AS days "
    "FROM applications_stagechange h JOIN applications_application a ON a.id = h.application_id "
    "JOIN missions_mission m ON m.id = a.mission_id WHERE m.reference LIKE %(prefix)s"
    ") AS moves GROUP BY 1, 2, 3, 4",
    # The counts so far known to the planner before it reads them (else: a loop per mission).
    "ANALYZE missions_tally",
    # The public pages: views, checks and verdicts in proportion to the drafts of the day.
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT t.mission_id, t.day, e.event, '', round(t.count * e.ratio) "
    "FROM missions_tally t JOIN missions_mission m ON m.id = t.mission_id "
    "CROSS JOIN (VALUES ('view', %(views)s), ('check', %(checks)s), "
    "('eligible', %(eligible)s)) AS e(event, ratio) "
    "WHERE m.reference LIKE %(prefix)s AND t.event = 'draft'",
    "INSERT INTO missions_tally (mission_id, day, event, detail, count) "
    "SELECT * FROM (SELECT t.mission_id, t.day, 'refused', r.rule, "
    "round(t.count * (%(checks)s - %(eligible)s) * r.share) AS count "
    "FROM missions_tally t JOIN missions_mission m ON m.id = t.mission_id "
    "CROSS JOIN unnest(%(rules)s::text[], %(shares)s::float8[]) AS r(rule, share) "
    "WHERE m.reference LIKE %(prefix)s AND t.event = 'draft') AS refusals WHERE count > 0",
)


def seed_time_record(*, seconds: float, applications: int) -> None:
    """The seed's time, kept in the database's comment (read by ``seed_time``): the
    benchmark's database is reused run after run without being seeded again."""
    if connection.vendor != "postgresql":
        return
    at = timezone.now().isoformat(timespec="seconds")
    seed = {"seconds": round(seconds, 1), "applications": applications, "at": at}
    note = json.dumps({SEED_TIME: seed})
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute("SELECT quote_literal(%s)", [note])  # COMMENT takes no parameter
        cursor.execute(f"COMMENT ON DATABASE {name} IS {cursor.fetchone()[0]}")


def seed_time() -> dict[str, Any] | None:
    """The last ``seed_bench --spread`` into this database: seconds, applications, at."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        comment = cursor.fetchone()[0]
    try:
        found = json.loads(comment or "")[SEED_TIME]
    except (ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, dict) else None


def applications_clear(*, prefix: str) -> None:
    """Remove the applications of the missions whose reference starts with ``prefix``, and
    what hangs on them, table by table: Django's cascade would first load every row (a
    million of them after ``--spread``)."""
    applications = Application.objects.filter(mission__reference__startswith=prefix)
    for relation in Application._meta.related_objects:
        related: Any = relation.related_model
        related._base_manager.filter(**{f"{relation.field.name}__in": applications}).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM applications_application WHERE mission_id IN "
            "(SELECT id FROM missions_mission WHERE reference LIKE %s)",
            [f"{prefix}%"],
        )
