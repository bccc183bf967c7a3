"""The candidate's interview page, reached by the signed link of the invitation e-mail: the
open slots in the mission's time zone (and the browser's), booking, moving, cancelling; and
the interviewers' private calendar feeds."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from core.security import client_ip, ratelimited
from review import feeds, interviews


@never_cache
def interview_choose(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST" and is_ratelimited(
        request, group="interview", key=client_ip, rate="30/m", increment=True
    ):
        return ratelimited(request)
    try:
        application = interviews.invited_application(token)
    except interviews.BookingError as error:
        return render(request, "review/interview_link.html", {"error": error.message}, status=400)
    now = timezone.now()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                interviews.booking_cancel(application=application, now=now)
                messages.success(
                    request, _("Votre entretien est annulé. Vous pouvez choisir un autre créneau.")
                )
            else:
                slot_id = int(request.POST.get("slot") or 0)
                interviews.slot_book(application=application, slot_id=slot_id, now=now)
                messages.success(
                    request,
                    _("Votre entretien est réservé : l'invitation vous est envoyée par e-mail."),
                )
        except (ValueError, interviews.BookingError) as error:
            message = (
                error.message
                if isinstance(error, interviews.BookingError)
                else _("Choisissez un créneau.")
            )
            messages.error(request, message)
            return page(request, application, now, status=409)
        return redirect(request.path)
    return page(request, application, now)


def page(request: HttpRequest, application: Any, now: Any, status: int = 200) -> HttpResponse:
    slots = list(interviews.open_slots(application, now))
    days = [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.local_start.date())]
    booking = interviews.current_booking(application)
    context = {
        "application": application,
        "mission": application.mission,
        "booking": booking,
        "days": days,
        "changeable": booking is not None
        and booking.slot is not None
        and booking.slot.starts_at - interviews.cutoff(application) > now,
    }
    return render(request, "review/interview_choose.html", context, status=status)


@never_cache
def interview_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An interviewer's upcoming interviews, for their calendar application to poll."""
    feed = feeds.active_feed(token)
    if feed is None:
        raise Http404
    text = feeds.feed_text(feed.user, timezone.now())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="entretiens.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
