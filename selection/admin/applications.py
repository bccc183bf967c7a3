"""On the application page (review's ApplicationAdmin): the partners' opinions, right after
staff reviews, and the log of partner accesses to this file."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from review.admin import ApplicationAdmin
from review.admin.inlines import ReviewInline
from review.services import mission_criteria
from selection.admin.read_only import ReadOnly
from selection.models import PartnerAccess, PartnerOpinion


class PartnerOpinionInline(ReadOnly, admin.TabularInline[PartnerOpinion, Application]):
    model = PartnerOpinion
    fields = ("partner", "verdict", "average", "scores_display", "comment", "updated_at")
    readonly_fields = fields
    verbose_name_plural = _("avis des partenaires")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("link", "application__mission")

    @admin.display(description=_("partenaire"))
    def partner(self, opinion: PartnerOpinion) -> str:
        return f"{opinion.link.organisation} – {opinion.link.person}"

    @admin.display(description=_("notes"))
    def scores_display(self, opinion: PartnerOpinion) -> str:
        criteria = mission_criteria(opinion.application.mission)
        return ", ".join(f"{criteria.get(c, c)} : {s}" for c, s in opinion.scores.items()) or "—"


class PartnerAccessInline(ReadOnly, admin.TabularInline[PartnerAccess, Application]):
    model = PartnerAccess
    fields = ("at", "action", "partner", "document", "email")
    readonly_fields = fields
    verbose_name_plural = _("consultations par des partenaires")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("link")

    @admin.display(description=_("partenaire"))
    def partner(self, access: PartnerAccess) -> str:
        return access.link.organisation


def after_reviews(inlines: tuple[Any, ...]) -> tuple[Any, ...]:
    position = inlines.index(ReviewInline) + 1 if ReviewInline in inlines else len(inlines)
    return (*inlines[:position], PartnerOpinionInline, *inlines[position:], PartnerAccessInline)


ApplicationAdmin.inlines = after_reviews(tuple(ApplicationAdmin.inlines))
# Most applications never reach a partner: no empty table (nor its query) for those.
ApplicationAdmin.inlines_with_rows_only += (PartnerOpinionInline, PartnerAccessInline)
