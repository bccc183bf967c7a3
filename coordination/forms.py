from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import SHORTLIST_STAGES


class ShortlistFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Étape"),
        required=False,
        choices=[("", _("Toutes les candidatures retenues"))]
        + [(stage.value, stage.label) for stage in SHORTLIST_STAGES],
    )

    def stages(self) -> list[str]:
        chosen = self.cleaned_data.get("stage") if self.is_valid() else ""
        return [chosen] if chosen else [stage.value for stage in SHORTLIST_STAGES]
