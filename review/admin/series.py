"""The series form, linked from the slots' list ("Créer une série de créneaux"): weekdays, a
daily window, a length and a range of days make every slot at once, after a preview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from missions.models import Mission
from review import slots
from review.models import InterviewSlot
from volunteers.models import User

WEEKDAYS = [
    (0, _("lundi")), (1, _("mardi")), (2, _("mercredi")), (3, _("jeudi")), (4, _("vendredi")),
    (5, _("samedi")), (6, _("dimanche")),
]  # fmt: skip


def staff_users() -> QuerySet[User]:
    """Who may be named an interviewer: active staff."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("email")


def check_mode(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """A video interview needs its link, one in person its address."""
    mode = data.get("mode")
    if mode == InterviewSlot.Mode.VIDEO and not data.get("video_url"):
        form.add_error("video_url", _("Indiquez le lien de la visioconférence."))
    if mode == InterviewSlot.Mode.IN_PERSON and not data.get("address"):
        form.add_error("address", _("Indiquez l'adresse de l'entretien."))


class SeriesForm(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("mission"), queryset=Mission.objects.order_by("reference")
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("jours de la semaine"), choices=WEEKDAYS, coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    day_start = forms.TimeField(label=_("de (heure locale)"), widget=widgets.AdminTimeWidget)
    day_end = forms.TimeField(label=_("à (heure locale)"), widget=widgets.AdminTimeWidget)
    minutes = forms.IntegerField(label=_("durée d'un créneau (minutes)"), min_value=5,
                                 max_value=480, initial=30)  # fmt: skip
    first_day = forms.DateField(label=_("du"), widget=widgets.AdminDateWidget)
    last_day = forms.DateField(label=_("au (inclus)"), widget=widgets.AdminDateWidget)
    mode = forms.ChoiceField(label=_("modalité"), choices=InterviewSlot.Mode.choices)
    video_url = forms.URLField(label=_("lien de la visioconférence"), required=False,
                               assume_scheme="https")  # fmt: skip
    address = forms.CharField(label=_("adresse"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    phone_note = forms.CharField(label=_("précision pour le téléphone"), required=False,
                                 max_length=200)  # fmt: skip
    interviewers = forms.ModelMultipleChoiceField(
        label=_("personnes qui font passer l'entretien"), required=False,
        queryset=User.objects.none(),
        widget=widgets.FilteredSelectMultiple(_("personnes"), is_stacked=False),
    )  # fmt: skip
    capacity = forms.IntegerField(label=_("places par créneau"), min_value=1, max_value=100,
                                  initial=1)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = staff_users()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_mode(self, data)
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", _("L'heure de fin doit suivre l'heure de début."))
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("Le dernier jour ne peut pas précéder le premier."))
        if not self.errors:
            self.starts = list(slots.series_starts(self.series()))
            if not self.starts:
                raise forms.ValidationError(_("Aucun créneau dans cette période : vérifiez les "
                                              "jours cochés, les dates et la durée."),
                                            code="empty")  # fmt: skip
            if len(self.starts) > slots.SERIES_LIMIT:
                raise forms.ValidationError(
                    _("%(count)d créneaux : c'est plus que %(limit)d. Raccourcissez la période "
                      "ou allongez les créneaux.")
                    % {"count": len(self.starts), "limit": slots.SERIES_LIMIT},
                    code="too_many",
                )  # fmt: skip
        return data

    def series(self) -> slots.Series:
        data = self.cleaned_data
        return slots.Series(
            weekdays=frozenset(data["weekdays"]), day_start=data["day_start"],
            day_end=data["day_end"], minutes=data["minutes"], first_day=data["first_day"],
            last_day=data["last_day"], time_zone=data["mission"].time_zone,
        )  # fmt: skip


def series_urls(model_admin: admin.ModelAdmin[InterviewSlot]) -> list[URLPattern]:
    def view(request: HttpRequest) -> HttpResponse:
        return series_view(model_admin, request)

    return [
        path("series/", model_admin.admin_site.admin_view(view),
             name="review_interviewslot_series"),
    ]  # fmt: skip


def series_view(model_admin: admin.ModelAdmin[InterviewSlot], request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and "create" in request.POST and form.is_valid():
        data = form.cleaned_data
        created = slots.slots_create_series(
            mission=data["mission"], starts=form.starts, minutes=data["minutes"],
            time_zone=data["mission"].time_zone, mode=data["mode"], video_url=data["video_url"],
            address=data["address"], phone_note=data["phone_note"],
            interviewers=data["interviewers"], capacity=data["capacity"],
        )  # fmt: skip
        count = len(created)
        model_admin.message_user(
            request,
            ngettext("%(count)d créneau créé.", "%(count)d créneaux créés.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        url = reverse("admin:review_interviewslot_changelist")
        return HttpResponseRedirect(f"{url}?mission__id__exact={data['mission'].pk}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Créer une série de créneaux"),
        "opts": InterviewSlot._meta,
        "form": form,
        "media": model_admin.media + form.media,
        "preview": preview(form) if request.method == "POST" and form.is_valid() else None,
    }
    return render(request, "admin/review/interviewslot/series.html", context)


def preview(form: SeriesForm) -> dict[str, Any]:
    """How many slots, and the first and last few, as local times."""
    starts: list[dt.datetime] = form.starts
    return {
        "count": len(starts),
        "zone": form.cleaned_data["mission"].time_zone,
        "first": starts[:5],
        "last": starts[-3:] if len(starts) > 8 else [],
    }
