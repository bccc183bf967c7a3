"""The interviews' calendar ("Calendrier des entretiens"), linked from the slots' list: the
slots of a mission or an interviewer, day by day on each slot's own clock, with who booked."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from review.models import InterviewSlot
from volunteers.models import User

# One page: a recruitment's slots fit; more is a sign that the filters were left empty.
CALENDAR_LIMIT = 1000


class CalendarFilters(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("mission"), required=False, queryset=Mission.objects.order_by("reference")
    )
    interviewer = forms.ModelChoiceField(
        label=_("personne qui fait passer l'entretien"),
        required=False,
        queryset=User.objects.none(),
    )
    past = forms.BooleanField(label=_("afficher aussi les créneaux passés"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from review.admin.series import staff_users

        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = staff_users()  # type: ignore[attr-defined]


def calendar_urls(model_admin: admin.ModelAdmin[InterviewSlot]) -> list[URLPattern]:
    def view(request: HttpRequest) -> HttpResponse:
        return calendar_view(model_admin, request)

    return [
        path("calendar/", model_admin.admin_site.admin_view(view),
             name="review_interviewslot_calendar"),
    ]  # fmt: skip


def calendar_slots(filters: CalendarFilters, now: dt.datetime) -> list[InterviewSlot]:
    from review.admin.interviews import booked_prefetch  # that module imports this one

    slots = InterviewSlot.objects.select_related("mission").prefetch_related(
        "interviewers", booked_prefetch()
    )
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("mission"):
        slots = slots.filter(mission=data["mission"])
    if data.get("interviewer"):
        slots = slots.filter(interviewers=data["interviewer"])
    if not data.get("past"):
        slots = slots.filter(starts_at__gte=now - dt.timedelta(hours=12))
    return list(slots.order_by("starts_at", "pk")[:CALENDAR_LIMIT])


def calendar_days(slots: list[InterviewSlot]) -> list[tuple[dt.date, list[InterviewSlot]]]:
    """The slots by day, each day as the slot's own clock reads it."""
    return [(day, list(group)) for day, group in groupby(slots, lambda s: s.local_start.date())]


def calendar_view(
    model_admin: admin.ModelAdmin[InterviewSlot], request: HttpRequest
) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    filters = CalendarFilters(request.GET or None)
    slots = calendar_slots(filters, timezone.now())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Calendrier des entretiens"),
        "opts": InterviewSlot._meta,
        "filters": filters,
        "days": calendar_days(slots),
        "truncated": len(slots) >= CALENDAR_LIMIT,
    }
    return render(request, "admin/review/interviewslot/calendar.html", context)
