"""Sitemaps (django.contrib.sitemaps) at the public address, each page in every language.

Addresses start with SITE_URL, never with the request's Host header; each page lists its
address in every language and the French one as ``x-default`` (hreflang alternates).
"""

from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

if TYPE_CHECKING:
    from django.contrib.sites.models import Site
    from django.contrib.sites.requests import RequestSite

Item = TypeVar("Item")


class SiteSitemap(Sitemap[Item]):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(str(settings.SITE_URL)).scheme

    def get_domain(self, site: "Site | RequestSite | None" = None) -> str:
        address = urlsplit(str(settings.SITE_URL))
        return address.netloc + address.path  # the pages' paths follow it


class PagesSitemap(SiteSitemap[str]):
    """The pages that are not missions: the catalogue and the about page."""

    def items(self) -> list[str]:
        return ["missions:list", "about"]

    def location(self, item: str) -> str:
        return reverse(item)
