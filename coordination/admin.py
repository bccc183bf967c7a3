"""The export actions on the applications list (added to review's ApplicationAdmin), and the
log of every export (Journal des exports)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from applications.models import Application, ExportLog
from coordination.views import export_response
from missions.models import Mission
from review.admin import ApplicationAdmin


def export(
    request: HttpRequest, queryset: QuerySet[Application], export_format: str
) -> HttpResponseBase:
    """The selection as one export, logged; named after its mission when it has only one."""
    missions = set(queryset.values_list("mission", flat=True).distinct()[:2])
    mission = Mission.objects.get(pk=missions.pop()) if len(missions) == 1 else None
    selection = Application.objects.filter(pk__in=queryset.values("pk"))
    return export_response(request, selection, export_format=export_format, mission=mission)


@admin.action(description=_("Exporter en CSV"), permissions=["export_applications"])
def export_csv(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.CSV)


@admin.action(description=_("Exporter en XLSX"), permissions=["export_applications"])
def export_xlsx(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.XLSX)


@admin.action(description=_("Exporter les documents (ZIP)"), permissions=["export_applications"])
def export_zip(
    modeladmin: ApplicationAdmin, request: HttpRequest, queryset: QuerySet[Application]
) -> HttpResponseBase:
    return export(request, queryset, ExportLog.Format.ZIP)


ApplicationAdmin.actions = (*ApplicationAdmin.actions, export_csv, export_xlsx, export_zip)


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin[ExportLog]):
    """Every export of candidates' data: who, which mission, which format, how many rows, when."""

    list_display = ("created_at", "user", "mission", "format", "rows")
    list_filter = ("format", ("mission", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "mission")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
