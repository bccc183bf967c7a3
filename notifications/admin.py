from django.contrib import admin

from notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """What was sent, what waits and why: read-only, the outbox is written by the application."""

    list_display = ("key", "template", "language", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "template", "language")
    search_fields = ("key",)
    readonly_fields = (
        "key", "to", "template", "context", "language", "state", "attempts", "last_error",
        "next_attempt_at", "created_at", "sent_at",
    )  # fmt: skip

    def has_add_permission(self, request: object) -> bool:
        return False
