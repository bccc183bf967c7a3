from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where the candidate came from to apply (applications.sources); blank on applications
    started before sources were recorded."""

    CATALOGUE = "catalogue", _("le catalogue du site")
    ALERT = "alert", _("une alerte e-mail")
    INVITATION = "invitation", _("une invitation du vivier")
    EXTERNAL = "external", _("un autre site")
