"""The rows of a Django admin list written in one pass, for lists too long for Django's tag.

Django's ``result_list`` tag resolves every cell on its own (which kind of column, its empty
value, its CSS class, its link, ``format_html``): a tenth of a millisecond a cell, most of a
page of 100 rows and 11 columns. ``RowsChangeList.table`` resolves each column once, then
applies it to every row, writing the same HTML as Django's tag. It knows no model of this
project: a ModelAdmin uses it by returning a subclass from ``get_changelist`` and by rendering
``cl.table`` in its ``change_list.html`` (Django's own tag when it is ``None``).
"""

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList, result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

# A cell of the list: the row's object in, the cell's HTML (escaped) out.
Cell = Callable[[Any], str]

# Stands for a row's primary key in the link written once for all rows.
ROW_PK = "0ROWPK0"

# Django's own message, translated by its catalogue: written here as a constant, not in a
# gettext() call, so that makemessages leaves it out of ours.
DJANGO_SELECT_LABEL = "Select this object for an action - {}"


class RowsChangeList(ChangeList):
    """The admin's list, reading for each row only the ``list_fields`` its columns show (all
    of them when empty), and writing its rows in one pass (``table``)."""

    list_fields: tuple[str, ...] = ()

    def get_results(self, request: HttpRequest) -> None:
        # Only the page's rows: actions, filters and counts keep the full queryset.
        queryset = self.queryset
        if self.list_fields:
            self.queryset = queryset.only(*self.list_fields)
        try:
            super().get_results(request)
        finally:
            self.queryset = queryset

    @cached_property
    def table(self) -> dict[str, Any] | None:
        """The context of Django's ``change_list_results.html``, with each row written at once
        (a test compares the HTML with Django's tag). ``None`` (Django's own tag then) for what
        this does not cover: editable lists, popups, columns that are neither model fields nor
        ModelAdmin methods."""
        if getattr(self, "formset", None) is not None or self.is_popup:
            return None
        columns = list_columns(self)
        if columns is None:
            return None
        headers = list(result_headers(self))
        rows = [
            ResultList(None, [mark_safe("".join(column(obj) for column in columns))])  # noqa: S308 -- each cell escapes its text
            for obj in self.result_list
        ]
        return {
            "cl": self,
            "result_hidden_fields": [],
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": rows,
        }


def list_columns(cl: ChangeList) -> list[Cell] | None:
    """The list's columns, the first linked one a ``<th>`` as Django writes it."""
    columns = []
    first = True
    for name in cl.list_display:
        linked = cl.list_display_links is not None and (
            (first and not cl.list_display_links) or name in cl.list_display_links
        )
        column = list_column(cl, name, th=linked and first, linked=linked)
        if column is None:
            return None
        first = first and not linked
        columns.append(column)
    return columns


def list_column(cl: ChangeList, name: object, *, th: bool, linked: bool) -> Cell | None:
    """One column of the list: a function of the row giving its cell, as Django's
    ``items_for_result`` writes it; ``None`` for a kind of column it does not cover."""
    if not isinstance(name, str):
        return None
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    try:
        field = cl.lookup_opts.get_field(name)
    except FieldDoesNotExist:
        # Not covered here: the model's own attributes (__str__ too) and linked methods.
        if linked or name == "__str__" or not hasattr(model_admin, name):
            return None
        return method_column(name, getattr(model_admin, name), empty)
    if (
        not isinstance(field, models.Field)
        or field.name != name
        or field.auto_created
        or field.many_to_many
        or not field.concrete
    ):
        return None  # "mission_id", the pk, many-to-many, reverse or generic relations
    text = field_text(field, name, empty, linked=linked)
    nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
    css = f' class="field-{name}{" nowrap" if nowrap else ""}"'
    tag = "th" if th else "td"
    if not linked:
        return lambda obj: f"<{tag}{css}>{text(obj)}</{tag}>"
    href = change_url(cl)
    if href is None:
        return None
    return lambda obj: (
        f'<{tag}{css}><a href="{href.replace(ROW_PK, str(int(obj.pk)), 1)}">{text(obj)}</a></{tag}>'
    )


def change_url(cl: ChangeList) -> str | None:
    """The link to each row's page, with the list's filters kept, escaped: written once, with
    ``ROW_PK`` for the pk (an integer, which neither quote() nor reverse() would change)."""
    opts = cl.opts
    if not isinstance(opts.pk, models.IntegerField):
        return None
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=(ROW_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": opts}, url)
    return conditional_escape(url)


def field_text(field: "models.Field[Any, Any]", name: str, empty: str, *, linked: bool) -> Cell:
    """A model field's value as the list shows it (``display_for_field``), escaped."""
    if isinstance(field.remote_field, models.ManyToOneRel):

        def related(obj: Any) -> str:
            try:
                value = getattr(obj, name)
            except ObjectDoesNotExist:
                return empty
            return empty if value is None else conditional_escape(value)

        return related
    if isinstance(field, models.DateTimeField) and not field.choices:
        # Dates written in the user's language and time zone, once for each distinct instant.
        language, zone = get_language(), timezone.get_current_timezone_name()

        def when(obj: Any) -> str:
            value = getattr(obj, name)
            return empty if value is None else localized_datetime(value, language, zone)

        return when
    labels: dict[Any, str] = {}
    if getattr(field, "flatchoices", None):
        # The choices' labels, translated and escaped once for the whole page.
        try:
            labels = {key: conditional_escape(label) for key, label in field.flatchoices}
        except TypeError:
            labels = {}

    def text(obj: Any) -> str:
        value = getattr(obj, name)
        if isinstance(value, str) and not value.strip():
            value = ""
        if labels:
            try:
                return labels.get(value, empty)
            except TypeError:
                pass
        return conditional_escape(display_for_field(value, field, empty, avoid_link=linked))

    return text


def method_column(name: str, method: Callable[[Any], Any], default_empty: str) -> Cell:
    """A column given by a ModelAdmin method (``display_for_value`` of what it returns)."""
    empty = conditional_escape(getattr(method, "empty_value_display", default_empty))
    boolean = getattr(method, "boolean", False)
    css = "action-checkbox" if name == "action_checkbox" else f"field-{name}"

    def cell(obj: Any) -> str:
        try:
            value = method(obj)
        except ObjectDoesNotExist:
            return f'<td class="{css}">{default_empty}</td>'
        if type(value) is str and not boolean:  # the common case, in short
            return f'<td class="{css}">{escape(value) if value.strip() else empty}</td>'
        if isinstance(value, str) and not value.strip():
            value = ""
        nowrap = " nowrap" if isinstance(value, (dt.date, dt.time)) else ""
        text = conditional_escape(display_for_value(value, empty, boolean))
        return f'<td class="{css}{nowrap}">{text}</td>'

    return cell


@lru_cache(maxsize=4096)
def localized_datetime(value: dt.datetime, language: str | None, zone: str) -> str:
    """An instant as the admin shows it (``display_for_field``) in the active language and time
    zone, which are part of the key: formatting a date costs more than the rest of its row."""
    return conditional_escape(display_for_value(value, ""))


def action_checkbox(obj: models.Model) -> SafeString:
    """Django's action checkbox for a row with an integer pk, written directly rather than by
    a widget's template each row (``ModelAdmin.action_checkbox`` returns it)."""
    label = gettext(DJANGO_SELECT_LABEL).format(escape(str(obj)))
    return mark_safe(  # noqa: S308 -- the pk is an integer, the object's name is escaped
        f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{int(obj.pk)}" '
        f'class="action-select" aria-label="{label}">'
    )
