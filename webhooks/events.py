"""The events a webhook endpoint may subscribe to; callers name them, ``emit`` checks them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    MISSION_PUBLISHED = "mission.published", _("mission publiée")
    MISSION_CLOSED = "mission.closed", _("mission close")
    APPLICATION_SUBMITTED = "application.submitted", _("candidature envoyée")
    APPLICATION_STAGE_CHANGED = "application.stage_changed", _("candidature changée d'étape")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("candidature retirée")
