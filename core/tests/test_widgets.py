"""QuickSelect writes what Django's Select writes, without a template per option."""

import re

import pytest
from django import forms

from core.widgets import QuickSelect

CHOICES = [("", "Tous"), ("SN", "Sénégal"), ("BJ", "Bénin <&>")]


@pytest.mark.parametrize("value", [None, "", "SN", "BJ", "XX"])
def test_a_quick_select_is_written_as_djangos_select(value):
    attrs = {"id": "id_country", "aria-invalid": "true", "required": True, "disabled": False}

    quick = QuickSelect(choices=CHOICES).render("country", value, attrs)
    django = forms.Select(choices=CHOICES).render("country", value, attrs)

    assert quick == re.sub(r">\s+<", "><", django).strip()
