from typing import Any

from django.http import HttpRequest


class ReadOnly:
    """An inline to read: the log and the opinions are written by the partner's pages only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
