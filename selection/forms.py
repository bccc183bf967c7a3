"""The partner's forms: the one-time code, and an opinion on a candidate."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from review.forms import ReviewForm, score_field
from selection.models import PartnerOpinion


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par e-mail"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Saisissez le code à 6 chiffres reçu par e-mail.")},
    )


class OpinionForm(ReviewForm):
    """Favourable, reserved or unfavourable; a comment; and, if the partner wishes, a score
    from 1 to 5 on each of the mission's criteria."""

    verdict = forms.ChoiceField(
        label=_("Votre avis"),
        choices=PartnerOpinion.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un avis : favorable, réservé ou défavorable.")},
    )

    def __init__(self, *args: Any, criteria: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, criteria=criteria, **kwargs)
        for code in criteria:
            self.fields[score_field(code)].required = False
        self.order_fields(["verdict", *(score_field(code) for code in criteria), "comment"])

    @staticmethod
    def initial_of_opinion(opinion: PartnerOpinion | None) -> dict[str, Any]:
        if opinion is None:
            return {}
        return {
            "verdict": opinion.verdict,
            "comment": opinion.comment,
            **{score_field(code): str(score) for code, score in opinion.scores.items()},
        }

    def scores(self) -> dict[str, int]:
        """The scores given (criteria left blank are left out)."""
        return {
            code: int(self.cleaned_data[score_field(code)])
            for code in self.criteria
            if self.cleaned_data.get(score_field(code)) not in (None, "")
        }
