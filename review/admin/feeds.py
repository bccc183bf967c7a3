"""Interviewers' private calendar feeds in the admin: staff create one for a person, see its
address once, and revoke it (``review.feeds``)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review import feeds
from review.models import CalendarFeed


@admin.action(description=_("Révoquer les agendas sélectionnés"), permissions=["change"])
def revoke_feeds(
    model_admin: admin.ModelAdmin[CalendarFeed],
    request: HttpRequest,
    queryset: QuerySet[CalendarFeed],
) -> None:
    now = timezone.now()
    for feed in queryset.filter(revoked_at__isnull=True):
        feeds.calendar_feed_revoke(feed=feed, now=now)
    model_admin.message_user(request, _("Agendas révoqués."), messages.SUCCESS)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = ("user", "created_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("user__email", "user__last_name")
    autocomplete_fields = ("user",)
    fields = ("user",)
    actions = (revoke_feeds,)

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarFeed | None = None) -> Any:
        return ("user", "created_at", "revoked_at") if obj else ()

    def get_fields(self, request: HttpRequest, obj: CalendarFeed | None = None) -> Any:
        return ("user", "created_at", "revoked_at") if obj else ("user",)

    def save_model(
        self, request: HttpRequest, obj: CalendarFeed, form: ModelForm[CalendarFeed], change: bool
    ) -> None:
        if change:
            return  # nothing to change: a feed is revoked (an action) and another created
        feed, token = feeds.calendar_feed_create(user=obj.user)
        obj.pk, obj.token_hash, obj.created_at = feed.pk, feed.token_hash, feed.created_at
        obj.new_token = token  # type: ignore[attr-defined]  # for response_add, once

    def response_add(
        self, request: HttpRequest, obj: CalendarFeed, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The address, shown on this page only: the database keeps its hash alone."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Agenda privé de %(user)s") % {"user": obj.user},
            "opts": self.model._meta,
            "feed": obj,
            "url": feeds.feed_url(obj.new_token),  # type: ignore[attr-defined]
        }
        return TemplateResponse(request, "admin/review/calendarfeed_created.html", context)

    def has_delete_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False  # revoked, and kept: when each address worked stays known
