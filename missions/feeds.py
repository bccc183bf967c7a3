import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.text import posting_html
from missions.models import Mission


class LatestMissionsFeed(Feed[Mission, Mission]):
    """Atom feed of the 50 most recently published missions."""

    feed_type = Atom1Feed
    title = _("Volontiers – missions de volontariat")
    subtitle = _("Les dernières missions de volontariat international publiées.")

    author_name = "Volontiers"

    def link(self) -> str:
        return str(settings.SITE_URL) + reverse("missions:list")

    def items(self) -> QuerySet[Mission]:
        return Mission.objects.filter(status=Mission.Status.PUBLISHED).order_by(
            F("published_on").desc(nulls_last=True), "-created_at"
        )[:50]

    def item_author_name(self, item: Mission) -> str:
        return str(item.organisation)

    def item_title(self, item: Mission) -> str:
        return str(item)

    def item_description(self, item: Mission) -> str:
        return posting_html(item.summary)

    def item_link(self, item: Mission) -> str:
        return str(settings.SITE_URL) + item.get_absolute_url()

    def item_guid(self, item: Mission) -> str:
        return f"{settings.SITE_URL}/missions/{item.reference}/"  # one id in every language

    def item_pubdate(self, item: Mission) -> dt.datetime:
        if item.published_on:
            return dt.datetime.combine(item.published_on, dt.time.min, tzinfo=dt.UTC)
        return item.created_at

    def item_updateddate(self, item: Mission) -> dt.datetime:
        return item.updated_at
