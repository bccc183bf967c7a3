from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri


def request_match(request: HttpRequest) -> ResolverMatch | None:
    """The view this request's path leads to: the match Django made, or, for a page answered
    before the URL was resolved (413: the body is too large), the path resolved now."""
    if request.resolver_match is not None:
        return request.resolver_match
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def page_url(request: HttpRequest) -> str | None:
    """This request's page, in the current language and without its query, for a link back to
    it from an error page; None when the path is not one of ours (never echoed)."""
    match = request_match(request)
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs) if match else None
    except NoReverseMatch:
        return None


def alternate_url(request: HttpRequest, language: str, match: ResolverMatch | None) -> str:
    """The same page in another language; the home page when the path is not one of ours.

    Reverses ``match``, the view this request leads to (``request_match``): ``translate_url``
    would resolve the path again, once per language, on every page.
    """
    with translation.override(language):
        if match is None:
            # Never echo an unknown path: "//evil.example/" would become an off-site link.
            return reverse("missions:list")
        try:
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return reverse("missions:list")
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{iri_to_uri(query)}" if query else url


def site(request: HttpRequest) -> dict[str, object]:
    """The other languages' addresses of the current page, for the language switch and hreflang."""
    match = request_match(request)  # once: a page without a match (404) resolves it again
    alternates = [
        {"code": code, "name": name, "url": alternate_url(request, code, match)}
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates, "SITE_URL": settings.SITE_URL}
