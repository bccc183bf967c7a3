from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts import services
from alerts.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    """Alerts are the subscribers' own: staff read them and may only stop them."""

    list_display = (
        "email", "state", "frequency", "language", "words", "country", "programme", "framework",
        "created_at", "confirmed_at", "last_sent_at", "sent_count",
    )  # fmt: skip
    list_filter = ("state", "frequency", "language", "framework", "country")
    search_fields = ("email", "words")
    date_hierarchy = "created_at"
    readonly_fields = (
        "email", "user", "language", "words", "country", "programme", "framework", "frequency",
        "state", "created_at", "confirmed_at", "last_run_at", "last_sent_at", "unsubscribed_at",
    )  # fmt: skip
    exclude = ("confirm_token_hash", "token_salt", "token_hash")
    actions = ("unsubscribe",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Alert]:
        return super().get_queryset(request).annotate(sent_total=Count("sent"))

    @admin.display(description=_("missions envoyées"), ordering="sent_total")
    def sent_count(self, alert: Any) -> int:
        return int(alert.sent_total)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Désabonner les alertes choisies"))
    def unsubscribe(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        count = services.alerts_unsubscribe_all(alerts=queryset, now=timezone.now())
        self.message_user(
            request, _("%(count)d alerte(s) désabonnée(s).") % {"count": count}, messages.SUCCESS
        )
