from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks import services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin[Endpoint]):
    """Receivers of webhooks: staff give the address and events; the secret is generated."""

    form = EndpointForm
    list_display = ("name", "url", "active", "failing_since", "disabled_at", "deliveries_link")
    list_filter = ("active",)
    search_fields = ("name", "url")
    readonly_fields = ("secret", "failing_since", "disabled_at", "created_by", "created_at",
                       "deliveries_link")  # fmt: skip

    def get_fields(self, request: HttpRequest, obj: Endpoint | None = None) -> Any:
        fields = ["name", "url", "events", "active"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    @admin.display(description=_("journal des envois"))
    def deliveries_link(self, endpoint: Endpoint) -> SafeString:
        url = reverse("admin:webhooks_delivery_changelist")
        return format_html('<a href="{}?endpoint__id__exact={}">{}</a>', url, endpoint.pk,
                           _("Voir les envois"))  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Endpoint, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        if change and "active" in form.changed_data and obj.active:
            obj.disabled_at = obj.failing_since = None  # staff say it works again
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """The delivery log: read-only, written by the application; "send again" retries."""

    list_display = ("event", "event_id", "endpoint", "state", "attempts", "last_status_code",
                    "created_at", "sent_at")  # fmt: skip
    list_filter = ("state", "event", "endpoint")
    search_fields = ("event_id",)
    list_select_related = ("endpoint",)
    readonly_fields = ("endpoint", "event", "event_id", "payload", "state", "attempts",
                       "last_status_code", "last_error", "next_attempt_at", "created_at",
                       "sent_at")  # fmt: skip
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("webhooks.change_endpoint")

    @admin.action(description=_("Envoyer à nouveau"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = services.deliveries_resend(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d envoi remis en file.", "%(count)d envois remis en file.", count)
            % {"count": count},
            messages.SUCCESS,
        )
