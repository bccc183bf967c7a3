"""A model admin that is one page of its own (a search, a dashboard): its list is the page,
shown to those with one permission; no page per row, nothing to add, change or delete."""

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

M = TypeVar("M", bound=Model)


class PageAdmin(admin.ModelAdmin[M], Generic[M]):
    page_permission: str  # "app_label.codename"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and request.user.has_perm(self.page_permission)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
