"""On the application page (review's ApplicationAdmin): the invitation that preceded it, if
staff invited the candidate to this mission from the search."""

from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from review.admin import ApplicationAdmin
from talent.models import Invitation


def invitations() -> QuerySet[Invitation]:
    """The invitation to the application's mission (read with the application: ``INVITED``)."""
    return Invitation.objects.filter(
        volunteer_id=OuterRef("volunteer_id"), mission_id=OuterRef("mission_id")
    ).order_by("pk")


INVITED = {
    "invited_at": Subquery(invitations().values("at")[:1]),
    "invited_by": Subquery(invitations().values("by__email")[:1]),
}


@admin.display(description=gettext_lazy("invitation à candidater"))
def invitation(application: Application) -> str:
    found: Any = application
    if not hasattr(found, "invited_at"):  # read without the page's annotations
        found = Application.objects.filter(pk=application.pk).annotate(**INVITED).get()
    if found.invited_at is None:
        return "—"
    return _("Invité·e le %(date)s par %(by)s depuis la recherche dans le vivier") % {
        "date": date_format(found.invited_at, "DATE_FORMAT"),
        "by": found.invited_by or "—",
    }


admin_class: Any = ApplicationAdmin  # its fieldsets' precise type, widened here
admin_class.invitation = staticmethod(invitation)
admin_class.object_annotations = {**admin_class.object_annotations, **INVITED}
admin_class.readonly_fields = (*admin_class.readonly_fields, "invitation")
first, *rest = admin_class.fieldsets
admin_class.fieldsets = (
    (first[0], {**first[1], "fields": (*first[1]["fields"], "invitation")}),
    *rest,
)
