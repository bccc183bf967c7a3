from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation


def alternate_url(path: str, language: str) -> str:
    """The same page in another language; the home page when the path is not one of ours."""
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        # Never echo an unknown path: "//evil.example/" would become an off-site link.
        with translation.override(language):
            return reverse("missions:list")
    return translate_url(path, language)


def site(request: HttpRequest) -> dict[str, object]:
    """The other languages' addresses of the current page, for the language switch and hreflang."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": alternate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates, "SITE_URL": settings.SITE_URL}
