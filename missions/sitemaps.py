"""The published missions, for search engines: in both languages, with their last change."""

import datetime as dt

from django.db.models import QuerySet

from core.sitemaps import SiteSitemap
from missions.models import Mission


class MissionSitemap(SiteSitemap[Mission]):
    def items(self) -> QuerySet[Mission]:
        # Published, as in the Atom feed: a closed mission's page stays up, but is not news.
        return (
            Mission.objects.filter(status=Mission.Status.PUBLISHED)
            .only("reference", "updated_at")
            .order_by("reference")
        )

    def lastmod(self, item: Mission) -> dt.datetime:
        return item.updated_at
