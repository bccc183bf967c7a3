from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models import SHORTLIST_STAGES


class ShortlistFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Étape"),
        required=False,
        choices=[("", _("Toutes les candidatures retenues"))]
        + [(stage.value, stage.label) for stage in SHORTLIST_STAGES],
    )

    language = forms.ChoiceField(
        label=_("Langue de l'export"),
        required=False,
        choices=settings.LANGUAGES,
        help_text=_("Les intitulés et le texte de la mission, dans les fichiers exportés."),
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        # The page's language until another is chosen, in the list as in the files.
        page_language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if data is not None and not data.get("language"):
            data = data.copy()
            data["language"] = page_language
        super().__init__(data, initial={"language": page_language}, **kwargs)

    def export_language(self) -> str:
        """The chosen language of the files, or the page's (a bad stage does not undo it)."""
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("language") or self.initial["language"])

    def stages(self) -> list[str]:
        """The chosen stage, or every stage of the shortlist (a bad language does not undo it)."""
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {}).get("stage")
        return [chosen] if chosen else [stage.value for stage in SHORTLIST_STAGES]
