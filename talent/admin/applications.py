"""On the application page (review's ApplicationAdmin): the invitation that preceded it, if
staff invited the candidate to this mission from the search."""

from typing import Any

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from review.admin import ApplicationAdmin
from talent.models import Invitation


@admin.display(description=gettext_lazy("invitation à candidater"))
def invitation(application: Application) -> str:
    found = (
        Invitation.objects.filter(
            volunteer_id=application.volunteer_id, mission_id=application.mission_id
        )
        .select_related("by")
        .first()
    )
    if found is None:
        return "—"
    return _("Invité·e le %(date)s par %(by)s depuis la recherche dans le vivier") % {
        "date": date_format(found.at, "DATE_FORMAT"),
        "by": found.by.email if found.by else "—",
    }


admin_class: Any = ApplicationAdmin  # its fieldsets' precise type, widened here
admin_class.invitation = staticmethod(invitation)
admin_class.readonly_fields = (*admin_class.readonly_fields, "invitation")
first, *rest = admin_class.fieldsets
admin_class.fieldsets = (
    (first[0], {**first[1], "fields": (*first[1]["fields"], "invitation")}),
    *rest,
)
