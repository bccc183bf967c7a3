"""The dashboard has no table of its own: it reads the counts of ``missions.models.stats``.
``Dashboard`` is a proxy of them, so that the admin lists the page and Django makes its
permission, ``dashboard.view_dashboard`` (given to recruitment managers: ``review.roles``)."""

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from missions.models import Tally


class Dashboard(Tally):
    class Meta:
        proxy = True
        default_permissions = ()
        permissions: ClassVar = [("view_dashboard", _("Peut voir le tableau de bord"))]
        verbose_name = _("tableau de bord")
        verbose_name_plural = _("tableau de bord des recrutements")
