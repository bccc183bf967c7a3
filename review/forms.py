"""Staff review forms: a bulk stage change, and one reviewer's scores for an application."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import STAFF_STAGES, RefusalReason, Review, Stage

# A score is 1 (insufficient) to 5 (excellent).
SCORES = [(str(n), str(n)) for n in range(1, 6)]


class MoveStageForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Nouvelle étape"), choices=[(s.value, s.label) for s in STAFF_STAGES]
    )
    reason = forms.ModelChoiceField(
        label=_("Motif du refus (pour « Non retenue »)"),
        queryset=RefusalReason.objects.filter(active=True),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire (historique, facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_stage") == Stage.REJECTED and not data.get("reason"):
            self.add_error("reason", _("Choisissez le motif du refus."))
        return data


class ReviewForm(forms.Form):
    """A score from 1 to 5 for each of the mission's criteria (``score_<code>``, in the
    criteria's order), then a comment."""

    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, criteria: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for code, label in criteria.items():
            self.fields[score_field(code)] = forms.TypedChoiceField(
                label=label, choices=SCORES, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([*(score_field(code) for code in criteria), "comment"])

    @staticmethod
    def initial_of(review: Review | None) -> dict[str, Any]:
        """The form's initial data for a reviewer's earlier review, if any."""
        if review is None:
            return {}
        return {
            **{score_field(code): str(score) for code, score in review.scores.items()},
            "comment": review.comment,
        }

    def scores(self) -> dict[str, int]:
        """The cleaned scores by criterion code."""
        return {code: int(self.cleaned_data[score_field(code)]) for code in self.criteria}


def score_field(code: str) -> str:
    return f"score_{code}"


class OutcomeForm(ReviewForm):
    """After an interview: whether the candidate came, then the interviewer's scores and
    opinion (asked only of a candidate who came: pass no criteria for a no-show)."""

    attended = forms.TypedChoiceField(
        label=_("Présence"),
        choices=[("yes", _("Présent·e à l'entretien")), ("no", _("Absent·e, sans prévenir"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, criteria: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, criteria=criteria, **kwargs)
        self.fields["comment"].label = _("Avis sur l'entretien")
        self.order_fields(["attended", *(score_field(code) for code in criteria), "comment"])
