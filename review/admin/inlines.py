"""The application page's inlines: documents, stage history, reviews (read only) and notes."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ApplicationDocument, Note, Review, StageChange
from review import services


class DocumentInline(admin.TabularInline[ApplicationDocument, Application]):
    model = ApplicationDocument
    view_on_site = False
    extra = 0
    can_delete = False
    fields = ("kind", "download", "file_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, document: ApplicationDocument) -> SafeString:
        # Through the permission-checked view, never a storage URL.
        return format_html(
            '<a href="{}">{}</a>', document.get_absolute_url(), document.original_name
        )

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageChangeInline(admin.TabularInline[StageChange, Application]):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("at", "from_stage", "to_stage", "by", "via", "comment")
    readonly_fields = fields
    verbose_name_plural = _("historique des étapes")

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewInline(admin.TabularInline[Review, Application]):
    model = Review
    extra = 0
    can_delete = False
    fields = ("reviewer", "average", "scores_display", "comment", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("notes"))
    def scores_display(self, review: Review) -> str:
        criteria = services.mission_criteria(review.application.mission)
        return ", ".join(
            f"{criteria.get(code, code)} : {score}" for code, score in review.scores.items()
        )

    def has_add_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False  # scores are given on their own page (the "Noter" link)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoteInline(admin.TabularInline[Note, Application]):
    model = Note
    extra = 1
    can_delete = False
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a note, once written, stays as written
