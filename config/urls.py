from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from api.problems import not_found as api_not_found
from applications.views import candidate_space
from config.health import healthz, ping
from core.sitemaps import PagesSitemap
from core.views import about, robots_txt
from missions.sitemaps import MissionSitemap
from review.views import interview_feed

# A lost database is a 503 (core.unavailable), also when a middleware meets it after the view:
# a session that cannot be created (500) or updated (400, SessionInterrupted).
handler400 = "core.unavailable.bad_request"
handler500 = "core.unavailable.server_error"

admin.site.site_header = admin.site.site_title = "Volontiers"
admin.site.index_title = _("Administration")

SITEMAPS = {"pages": PagesSitemap, "missions": MissionSitemap}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    # At the root, where crawlers look: one file for every language. /favicon.ico and the
    # other icons are served by WhiteNoise (WHITENOISE_ROOT).
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # An interviewer's private calendar: one address whatever the language, for a calendar
    # application to poll (review.feeds).
    path("entretien/agenda/<str:token>.ics", interview_feed, name="interview_feed"),
    # Staff sign in through allauth's login, rate-limited against brute force.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    # The API, versioned in its address; its own 404 for any other (api/problems.py).
    path("api/v1/", include("api.urls")),
    re_path(r"^api/", api_not_found),
]

# French pages at /missions/, English ones at /en/missions/: one address per
# language, so public pages can be cached and linked to in either language.
urlpatterns += i18n_patterns(
    path("", RedirectView.as_view(pattern_name="missions:list", permanent=False), name="home"),
    # The catalogue first: its pages are the most read, and tried first they resolve sooner.
    path("missions/", include("missions.urls")),
    path("", include("applications.urls")),
    path("", include("review.urls")),
    path("", include("selection.urls")),
    path("alertes/", include("alerts.urls")),
    path("coordination/tableau-de-bord/", include("dashboard.urls")),
    path("coordination/", include("coordination.urls")),
    path("me/", candidate_space, name="me"),
    path("me/", include("volunteers.urls")),
    path("accounts/", include("allauth.urls")),
    path("a-propos/", about, name="about"),
    prefix_default_language=False,
)
