"""Interview slots in the admin: the list (local start in the slot's zone, who booked), its
filters, the slot's form (a local date and time in the slot's zone, not the admin's), deleting
through ``review.interviews.slot_delete`` (the candidates booked are told and invited again),
and the links to the series form (``series``) and the calendar (``calendar``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review import interviews
from review.admin import calendar, series
from review.admin.series import check_mode, staff_users
from review.models import InterviewBooking, InterviewSlot
from review.slots import local_exists

# What a booked slot cannot change without new invitations: delete it instead.
BOOKED_FIELDS = ("starts_at", "duration_minutes", "time_zone", "mode", "video_url", "address")


def booked_prefetch() -> Prefetch[Any]:
    """The slots' current bookings with their candidates, as ``current_bookings``."""
    return Prefetch(
        "bookings",
        queryset=InterviewBooking.objects.filter(state=InterviewBooking.State.BOOKED)
        .select_related("application__volunteer")
        .order_by("booked_at"),
        to_attr="current_bookings",
    )


class InterviewSlotForm(forms.ModelForm[InterviewSlot]):
    """The start as a date and a time on the slot's own clock (the mission's by default)."""

    local_date = forms.DateField(label=_("jour"), widget=widgets.AdminDateWidget)
    local_time = forms.TimeField(
        label=_("heure de début"),
        widget=widgets.AdminTimeWidget,
        help_text=_("Heure locale du fuseau ci-dessous, pas celle de votre ordinateur."),
    )
    video_url = forms.URLField(
        label=_("lien de la visioconférence"), required=False, assume_scheme="https"
    )

    class Meta:
        model = InterviewSlot
        fields = ("mission", "local_date", "local_time", "duration_minutes", "time_zone", "mode",
                  "video_url", "address", "phone_note", "interviewers", "capacity")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].required = False
        self.fields["time_zone"].help_text = _("Vide : celui de la mission.")
        self.fields["interviewers"].queryset = staff_users()  # type: ignore[attr-defined]
        if self.instance.pk:
            local = self.instance.local_start
            self.initial.update(local_date=local.date(), local_time=local.time())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mission, day, hour = data.get("mission"), data.get("local_date"), data.get("local_time")
        zone = data.get("time_zone") or (mission.time_zone if mission else "")
        data["time_zone"] = zone
        if zone and day and hour:
            start = dt.datetime.combine(day, hour, tzinfo=zoneinfo.ZoneInfo(zone))
            if not local_exists(start):
                self.add_error("local_time", _("Cette heure n'existe pas ce jour-là dans ce "
                                               "fuseau (changement d'heure) : choisissez-en "
                                               "une autre."))  # fmt: skip
            self.instance.starts_at = start
        check_mode(self, data)
        if self.instance.pk and self.instance.booked:
            self.check_booked(data)
        return data

    def check_booked(self, data: dict[str, Any]) -> None:
        saved = InterviewSlot.objects.get(pk=self.instance.pk)
        if data.get("capacity") is not None and data["capacity"] < saved.booked:
            self.add_error("capacity", _("%(count)d places sont déjà prises : gardez-en au "
                                         "moins autant.") % {"count": saved.booked})  # fmt: skip
        changed = [name for name in BOOKED_FIELDS
                   if name in data and getattr(saved, name) != data[name]]  # fmt: skip
        if saved.starts_at != self.instance.starts_at or changed:
            raise forms.ValidationError(
                _("Ce créneau est réservé : pour changer l'heure ou le lieu, supprimez-le (les "
                  "candidat·es reçoivent l'annulation et une invitation à en choisir un autre) "
                  "puis créez-en un nouveau."),
                code="booked",
            )  # fmt: skip


class WhenFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("upcoming", _("À venir")), ("past", _("Passés"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[InterviewSlot]
    ) -> QuerySet[InterviewSlot]:
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lt=timezone.now())
        return queryset


@admin.register(InterviewSlot)
class InterviewSlotAdmin(admin.ModelAdmin[InterviewSlot]):
    form = InterviewSlotForm
    change_list_template = "admin/review/interviewslot/change_list.html"
    list_display = ("local_start", "mission", "duration_minutes", "mode", "interviewer_names",
                    "seats", "booked_by")  # fmt: skip
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        ("interviewers", admin.RelatedOnlyFieldListFilter),
        "mode",
        WhenFilter,
    )
    list_select_related = ("mission",)
    date_hierarchy = "starts_at"
    search_fields = ("mission__reference", "mission__title_fr", "mission__title_en")
    filter_horizontal = ("interviewers",)
    ordering = ("starts_at", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[InterviewSlot]:
        return super().get_queryset(request).prefetch_related("interviewers", booked_prefetch())

    def get_urls(self) -> list[URLPattern]:
        return [*series.series_urls(self), *calendar.calendar_urls(self), *super().get_urls()]

    @admin.display(description=_("début (heure locale)"), ordering="starts_at")
    def local_start(self, slot: InterviewSlot) -> str:
        return f"{slot.local_start:%Y-%m-%d %H:%M} ({slot.time_zone})"

    @admin.display(description=_("avec"))
    def interviewer_names(self, slot: InterviewSlot) -> str:
        return ", ".join(user.email for user in slot.interviewers.all()) or "—"

    @admin.display(description=_("places prises"))
    def seats(self, slot: InterviewSlot) -> str:
        return f"{slot.booked}/{slot.capacity}"

    @admin.display(description=_("réservé par"))
    def booked_by(self, slot: InterviewSlot) -> str:
        return candidates(slot) or "—"

    def delete_model(self, request: HttpRequest, obj: InterviewSlot) -> None:
        interviews.slot_delete(slot=obj, now=timezone.now())

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[InterviewSlot]) -> None:
        """Each slot on its own: its booked candidates get the cancellation and a new link."""
        for slot in queryset.order_by("pk"):
            interviews.slot_delete(slot=slot, now=timezone.now())


def candidates(slot: InterviewSlot) -> str:
    """Who booked the slot (``booked_prefetch`` loaded them)."""
    bookings = getattr(slot, "current_bookings", [])
    return ", ".join(f"{b.application.volunteer} ({b.application.reference})" for b in bookings)
