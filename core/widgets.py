"""Selects written without a template per option. Django renders each option of a <select>
through a template: 250 countries made the mission page's eligibility questions cost more
than the page itself (``CountrySelect``: rendered once per language), and a list of a
thousand missions took 60 ms of the dashboard's page (``QuickSelect``)."""

from functools import lru_cache
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django_countries import countries


@lru_cache(maxsize=8)
def country_options(language: str, empty_label: str) -> str:
    options = [("", empty_label), *((code, str(name)) for code, name in countries)]
    return str(format_html_join("", '<option value="{}">{}</option>', options))


class CountrySelect(forms.Select):
    """Same HTML as forms.Select, built from a cached string of options."""

    def __init__(self, empty_label: Any, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.empty_label = empty_label

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        options = country_options(get_language() or "fr", str(self.empty_label))
        if value:
            chosen = format_html('<option value="{}">', value)
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html(
            "<select{}>{}</select>", html_attributes(final_attrs), SafeString(options)
        )


class QuickSelect(forms.Select):
    """Same HTML as forms.Select (one value, no option groups), without its templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        rows: list[tuple[str, str, Any]] = []
        for option, label in self.choices:
            selected = str(option) == chosen and not any(row[1] for row in rows)
            rows.append((str(option), " selected" if selected else "", label))
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, html_attributes(final_attrs), options
        )


def html_attributes(attrs: dict[str, Any]) -> SafeString:
    """' name="value"' pairs as Django's widget templates write them (True: bare, False: none)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not False and value is not None
        ),
    )
