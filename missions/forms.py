from collections.abc import Iterable
from functools import lru_cache
from typing import Any, cast

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.candidates import CandidateFacts
from core.countries import country_name
from core.widgets import CountrySelect
from missions import cache as mission_cache
from missions.eligibility import KnockOut
from missions.models import Mission, Programme


class PublicForm(forms.Form):
    """A form of the public pages, rendered like every form of the site by crispy-forms'
    Bootstrap 5 templates: ``{{ form }}`` is ``{{ form|crispy }}`` (non-field errors, then each
    field as a group of label, widget, help text and errors; hidden fields as they are). Labels,
    help texts and errors are tied to their field as Django 5.2 writes them
    (``aria-describedby``, ``aria-invalid``); a field with an error also gets ``is-invalid``.
    """

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        html: SafeString = as_crispy_form(self)
        return html

    __str__ = __html__ = render

    def is_blank(self) -> bool:
        """Unfilled, with the standard ids: its HTML is the same for every visitor (the public
        forms that are shown blank on every visit write it once: see their ``render``)."""
        return not (self.is_bound or self.initial or self.prefix) and self.auto_id == "id_%s"


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Countries with public missions and the programmes, kept until a mission changes
    (``missions.cache.kept_value``; also when pages are not cached)."""

    def compute() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        codes = (
            Mission.objects.public().order_by().values_list("host_country", flat=True).distinct()
        )
        names = sorted(((c, country_name(c, get_language())) for c in codes), key=lambda c: c[1])
        return names, list(Programme.objects.values_list("slug", "name"))

    choices: tuple[list[tuple[str, str]], list[tuple[str, str]]] = mission_cache.kept_value(
        f"missions:filters:{get_language()}", compute
    )
    return choices


class MissionFilterForm(PublicForm):
    """The public list's filters; every field is optional and a bad value is reported, not fatal."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Un mot de l'intitulé ou de l'annonce, par exemple « ESS »."),
    )
    country = forms.ChoiceField(label=_("Pays"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    framework = forms.ChoiceField(
        label=_("Cadre de volontariat"),
        required=False,
        choices=[("", _("Tous les cadres")), *Mission.VolunteerStatus.choices],
        error_messages={"invalid_choice": _("Choisissez un cadre de la liste.")},
    )
    open_only = forms.BooleanField(label=_("Seulement les missions ouvertes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_choices, programme_choices = filter_choices()
        country_field = cast(forms.ChoiceField, self.fields["country"])
        country_field.choices = [("", _("Tous les pays")), *country_choices]
        programme_field = cast(forms.ChoiceField, self.fields["programme"])
        programme_field.choices = [("", _("Tous les programmes")), *programme_choices]
        self.fields["country"].error_messages["invalid_choice"] = _(
            "Aucune mission publiée dans ce pays : choisissez un pays de la liste."
        )
        self.fields["programme"].error_messages["invalid_choice"] = _(
            "Ce programme n'existe pas : choisissez un programme de la liste."
        )

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        if not self.is_blank():
            return super().render(template_name, context, renderer)
        # Unfilled, the filters change only with the missions: kept like their lists, and
        # written from a form made now (this one's lists may be of the version before).
        # It pays: written by crispy on every request, the form took ~4 ms of CPU, and an
        # uncached catalogue page served 36 % fewer requests (bench of 2026-12-04).
        html: SafeString = mission_cache.kept_value(
            f"missions:filter-form:{get_language()}",
            lambda: PublicForm.render(MissionFilterForm()),
        )
        return html

    __str__ = __html__ = render


def country_choices(empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label), *((code, str(name)) for code, name in countries)]


def eligibility_country_choices() -> list[tuple[str, str]]:
    return country_choices(str(_("Choisissez un pays")))


def answer_field_name(knockout: KnockOut) -> str:
    return f"answer_{knockout.question}"


class EligibilityCheckForm(PublicForm):
    """The two questions an anonymous visitor answers to know at once whether they may apply,
    and the mission's knock-out questions it asks before applying (``knockouts``)."""

    nationality = forms.ChoiceField(label=_("Votre nationalité"))
    second_nationality = forms.ChoiceField(
        label=_("Une autre nationalité, si vous en avez une"), required=False
    )
    # A regular residence (a residence permit or a nationality), as the law speaks of it.
    residence = forms.ChoiceField(label=_("Le pays où vous résidez régulièrement"))

    def __init__(self, *args: Any, knockouts: Iterable[KnockOut] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.knockouts = [knockout for knockout in knockouts if knockout.ask_before]
        english = get_language() == "en"
        for knockout in self.knockouts:
            self.fields[answer_field_name(knockout)] = forms.ChoiceField(
                label=knockout.label_en if english else knockout.label_fr,
                choices=[(v, en if english else fr) for v, fr, en in knockout.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Répondez à cette question."),
                    "invalid_choice": _("Choisissez l'une des réponses proposées."),
                },
            )
        for name in ("nationality", "second_nationality", "residence"):
            field = cast(forms.ChoiceField, self.fields[name])
            # A callable: the 250 countries are listed only to check an answer; the widget
            # renders from its own cached HTML.
            field.choices = eligibility_country_choices
            field.widget = CountrySelect(_("Choisissez un pays"))
            field.error_messages["invalid_choice"] = _("Choisissez un pays de la liste.")
            field.error_messages["required"] = _("Choisissez un pays de la liste.")

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        if not self.is_blank() or self.knockouts:
            return super().render(template_name, context, renderer)
        return unanswered_eligibility_questions(get_language())

    __str__ = __html__ = render

    def facts(self) -> CandidateFacts:
        nationalities = {self.cleaned_data["nationality"], self.cleaned_data["second_nationality"]}
        residence = self.cleaned_data["residence"]
        return CandidateFacts(
            nationalities=frozenset(n for n in nationalities if n),
            residence=residence,
            regular_residences=frozenset({residence}),
            answers={
                knockout.question: self.cleaned_data[answer_field_name(knockout)]
                for knockout in self.knockouts
            },
        )

    @staticmethod
    def answer_names(knockouts: Iterable[KnockOut]) -> list[str]:
        """The names of the fields the form adds for these knock-out questions."""
        return [answer_field_name(k) for k in knockouts if k.ask_before]


@lru_cache(maxsize=8)
def unanswered_eligibility_questions(language: str) -> SafeString:
    """The questions before any answer: the same HTML on every mission page and for every
    visitor, written once per language (three lists of 250 countries). It pays: written by
    crispy on every request, they took ~2.5 ms of CPU, and an uncached mission page served
    35 % fewer requests (bench of 2026-12-04)."""
    return PublicForm.render(EligibilityCheckForm())


class ReviewRequestForm(PublicForm):
    email = forms.EmailField(label=_("Votre adresse e-mail"))
    message = forms.CharField(
        label=_("Pourquoi pensez-vous pouvoir postuler ?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    nationality = forms.CharField(required=False, widget=forms.HiddenInput)
    second_nationality = forms.CharField(required=False, widget=forms.HiddenInput)
    residence = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, knockouts: Iterable[KnockOut] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The answers to the knock-out questions asked before applying, carried along.
        for name in EligibilityCheckForm.answer_names(knockouts):
            self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)
