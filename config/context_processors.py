from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def site(request: HttpRequest) -> dict[str, object]:
    """The other languages' addresses of the current page, for the language switch and hreflang."""
    path = request.get_full_path()
    alternates = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    return {"language_alternates": alternates, "SITE_URL": settings.SITE_URL}
