"""Page views and eligibility verdicts, counted in the cache and flushed to the database by beat.

A public page counts without touching the database (``counter_add``): each (day, mission,
event, detail) is a cache counter, one ``INCR``. A worker holds its counts (``unsent``) and
hands them to the cache (``counts_send``) at the end of a request once
``PAGE_COUNTS_SEND_SECONDS`` (one second by default) have passed since it last did, whatever
the request (a load balancer's ``/ping`` too), and when gunicorn stops it
(deploy/gunicorn.conf.py's ``worker_exit``): a busy page costs no round trip to Redis. The
first time a counter is made it also takes a slot number in that day's list, which is how
the flush finds it without listing the cache's keys (the local-memory cache cannot).
``counters_flush`` (beat, every five minutes) reads the counters of the last ``KEEP_DAYS``
days, adds them to ``missions.models.Tally``, then takes the same amounts off the counters:
whatever was counted meanwhile waits for the next flush.

A cache that is down (or skipped by the breaker, ``core/cache.py``) keeps the counts in the
process (``unsent``) until it answers again. What a worker that is killed holds is lost
(the counts of its last second, or of the outage), so is what a Redis restarted without its
data held since the last flush (five minutes at most), and a flush that dies between its
commit and taking the amounts off counts them twice: these are visitor counts, not records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from missions.eligibility import Verdict
from missions.models import Event, Mission
from missions.tallies import Count, local_day, tallies_add

logger = logging.getLogger(__name__)

KEEP_DAYS = 3
TIMEOUT = (KEEP_DAYS + 1) * 86400
FLUSH_LOCK = "tally:flush"
FLUSH_LOCK_SECONDS = 240  # beat's interval is 300 s; a flush takes well under a second
# Counts this process holds, not yet handed to the cache: key -> amount (see the docstring).
unsent: Counter[str] = Counter()
# When this process last handed its counts to the cache (time.monotonic()).
last_sent = [float("-inf")]  # never: the first count goes at once
# ``unsent`` is changed under this lock (runserver and threaded servers share it).
unsent_lock = threading.Lock()


# Crawlers and link previews are not visitors.
ROBOTS = re.compile(r"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit", re.IGNORECASE)


def counted(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count what a mission's page tells (``response.counts``), served fresh or from the page
    cache: put outside ``cache_anonymous_page``, which keeps each page's counts with it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, reference: str, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, reference=reference, **kwargs)
        counts = getattr(response, "counts", ())
        robot = ROBOTS.search(request.headers.get("User-Agent", ""))
        if counts and request.method == "GET" and response.status_code == 200 and not robot:
            counter_add(reference, counts, at=timezone.now())
        return response

    return wrapper


def page_counts(
    request: HttpRequest, mission: Mission, verdict: Verdict | None, now: dt.datetime
) -> list[Count]:
    """A view of the page, and its eligibility verdict if one is given: for a signed-in
    candidate (whose page shows one each time) the first of the day only."""
    counts: list[Count] = [(Event.VIEW, "")]
    if verdict is None:
        return counts
    if request.user.is_authenticated:
        # A pseudonym, kept a day in the cache only: the counts themselves name nobody.
        seen = f"{request.user.pk}:{mission.pk}:{local_day(now)}"
        key = "tally:checked:" + hashlib.sha256(seen.encode()).hexdigest()[:24]
        if not cache.add(key, 1, 86400):
            return counts
    counts.append((Event.CHECK, ""))
    if verdict.eligible:
        counts.append((Event.ELIGIBLE, ""))
    counts.extend((Event.REFUSED, code) for code in dict.fromkeys(f.code for f in verdict.refusals))
    return counts


def counter_key(day: dt.date, reference: str, event: str, detail: str) -> str:
    return f"tally:{day.isoformat()}:{reference}:{event}:{detail}"


def counter_add(reference: str, counts: Iterable[Count], *, at: dt.datetime) -> None:
    """Count events of a mission's public page, in the cache only."""
    day = local_day(at)
    with unsent_lock:
        for event, detail in counts:
            unsent[counter_key(day, reference, event, detail)] += 1
    # handed over at the end of the request (counts_send_if_due), or by the next flush here


def counts_send_if_due(**_signal: Any) -> None:
    """Hand the counts over if some wait and the interval has passed (``request_finished``)."""
    if unsent and time.monotonic() - last_sent[0] >= settings.PAGE_COUNTS_SEND_SECONDS:
        counts_send()


def _incr(key: str, amount: int) -> bool:
    """Add to a counter, making it (and its slot) the first time; False if the cache failed."""
    try:
        return cache.incr(key, amount) is not None
    except ValueError:
        pass  # no counter yet
    if cache.add(key, amount, TIMEOUT):
        day = key.split(":")[1]
        slot = _incr_or_make(f"tally:{day}:slots")
        if slot is None:
            return True  # counted; the flush will not find it (the cache failed just now)
        cache.set(f"tally:{day}:slot:{slot}", key, TIMEOUT)
        return True
    try:
        return cache.incr(key, amount) is not None  # made meanwhile by another request
    except ValueError:
        return False  # the cache is failing: add() did not answer


# A slot list evicted by Redis while its counters stay would hand out their numbers again and
# hide them from the flush: the keys share one timeout and Redis should not evict them
# (an LRU policy under memory pressure could). Rare, and a count lost, not a wrong one.
def _incr_or_make(key: str) -> int | None:
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, TIMEOUT):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            return None


def counts_send() -> None:
    """Hand this process's counts to the cache; what it refuses waits for the next time."""
    last_sent[0] = time.monotonic()
    with unsent_lock:
        taken = list(unsent.items())
        unsent.clear()
    for done, (key, amount) in enumerate(taken):
        if not _incr(key, amount):
            with unsent_lock:  # still failing: kept, with what came meanwhile
                for left, held in taken[done:]:
                    unsent[left] += held
            return


def counters_flush(*, now: dt.datetime) -> int:
    """Move the cache's counters of the last days into the database; return how many counted.

    One flush at a time (a lock in the cache, for two beats or a slow one): two at once would
    both add the same amounts. A counter that cannot be taken off after the commit (the cache
    failing just then) is logged: the next flush counts it again."""
    counts_send()  # a flush run in a process that also served pages (a test, a shell)
    if not cache.add(FLUSH_LOCK, 1, FLUSH_LOCK_SECONDS):
        logger.info("counters flush skipped: another one is running")
        return 0
    try:
        return _flush(now)
    finally:
        cache.delete(FLUSH_LOCK)


def _flush(now: dt.datetime) -> int:
    found: dict[str, tuple[dt.date, str, str, str]] = {}
    today = local_day(now)
    for back in range(KEEP_DAYS):
        day = today - dt.timedelta(days=back)
        slots = cache.get(f"tally:{day.isoformat()}:slots") or 0
        names = cache.get_many([f"tally:{day.isoformat()}:slot:{n}" for n in range(1, slots + 1)])
        for key in names.values():
            _prefix, _day, reference, event, detail = key.split(":", 4)
            found[key] = (day, reference, event, detail)
    amounts = {key: int(value) for key, value in cache.get_many(list(found)).items()}
    amounts = {key: value for key, value in amounts.items() if value > 0}
    if not amounts:
        return 0
    references = {found[key][1] for key in amounts}
    ids = dict(Mission.objects.filter(reference__in=references).values_list("reference", "pk"))
    rows = [
        (ids[reference], day, event, detail, amounts[key])
        for key, (day, reference, event, detail) in found.items()
        if key in amounts and reference in ids
    ]
    with transaction.atomic():
        tallies_add(rows)
    for key, amount in amounts.items():
        try:
            left = cache.decr(key, amount)
        except ValueError:
            left = None
        if left is None:
            logger.warning("counter %s not taken off after its flush: counted again next", key)
    return sum(amounts.values())
