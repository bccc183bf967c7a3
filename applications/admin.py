from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications import services
from applications.models import Application, ApplicationDocument, StageChange


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    can_delete = False
    fields = ("kind", "download", "file_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, document: ApplicationDocument) -> str:
        # Through the permission-checked view, never a storage URL.
        return format_html(
            '<a href="{}">{}</a>', document.get_absolute_url(), document.original_name
        )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("at", "from_stage", "to_stage", "by", "comment")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "volunteer", "mission", "stage", "submitted_at")
    list_filter = ("stage", "mission")
    list_select_related = ("volunteer", "mission")
    search_fields = (
        "reference",
        "volunteer__last_name",
        "volunteer__first_name",
        "volunteer__user__email",
    )
    readonly_fields = (
        "reference", "volunteer", "mission", "stage", "motivation", "eligibility", "profile",
        "submitted_at", "withdrawn_at", "created_at",
    )  # fmt: skip
    exclude = ("use_profile_cv", "declaration", "consent_at")
    inlines = (DocumentInline, StageChangeInline)

    def delete_model(self, request: HttpRequest, obj: Application) -> None:
        services.application_delete(application=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Application]) -> None:
        for application in queryset:
            services.application_delete(application=application)
