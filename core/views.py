"""Pages of the site itself, not of one app: robots.txt and the about page (the accessibility
statement and the privacy notice)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

# Sections crawlers are kept out of, in every language: the candidate's space, sign-in and
# sign-up, the coordinators' pages, documents and the apply pages (all behind a sign-in), and
# the interview pages (a candidate's signed link, an interviewer's calendar feed).
PRIVATE_SECTIONS = (
    "me/", "accounts/", "coordination/", "documents/", "missions/*/apply/", "entretien/",
)  # fmt: skip


def language_prefixes() -> list[str]:
    """ "" for French, "/en" for English: i18n_patterns without a prefix for the default."""
    return [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _name in settings.LANGUAGES
    ]


def robots_txt(request: HttpRequest) -> HttpResponse:
    """The catalogue and the missions for every crawler; the private pages for none."""
    prefixes = language_prefixes()
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: {prefix}/{part}" for prefix in prefixes for part in PRIVATE_SECTIONS]
    lines += [f"Allow: {prefix}/missions/" for prefix in prefixes]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def about(request: HttpRequest) -> HttpResponse:
    """Who runs the site, the accessibility statement and the privacy notice."""
    context = {
        "controller": settings.PRIVACY_CONTROLLER,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "accessibility_email": settings.ACCESSIBILITY_EMAIL,
        "retention_months": settings.RETENTION_MONTHS,
        "pool_months": settings.POOL_MONTHS,
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        # The daily sweep removes files no row names once older than a session and a day
        # (applications.documents.orphan_grace): at most that, and the day until the sweep.
        "orphan_days": settings.SESSION_COOKIE_AGE // 86400 + 2,
    }
    return render(request, "core/about.html", context)
