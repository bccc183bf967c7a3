"""What every page of the missions' admin shares."""

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from missions import cache as mission_cache

M = TypeVar("M", bound=models.Model)


class RefreshPublicPages(admin.ModelAdmin[M]):
    """Any change here shows on the public pages at once (their cache is versioned)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(mission_cache.bump)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(mission_cache.bump)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(mission_cache.bump)
