from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.documents import DOCUMENT_HELP, validate_document


class DocumentField(forms.FileField):
    """A CV or letter, checked by content; the error says what to send instead."""

    default_error_messages = {  # noqa: RUF012 -- Django's declarative messages
        "empty": _("Le fichier est vide : choisissez le bon fichier."),
        "invalid": _("Aucun fichier reçu : choisissez un fichier."),
    }

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            validate_document(upload)
        return upload


class PlainTextField(forms.CharField):
    """Text from a textarea: browsers count a line break as one character but send CRLF."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class ApplicationForm(forms.Form):
    """The application's own parts; every valid part is kept in the draft, even with errors."""

    letter = DocumentField(
        label=_("Lettre de motivation"),
        required=False,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput,
    )
    use_profile_cv = forms.TypedChoiceField(
        label=_("CV"),
        choices=[("yes", _("Utiliser le CV de mon profil")), ("no", _("Envoyer un autre CV"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    cv = DocumentField(
        label=_("Autre CV pour cette candidature"),
        required=False,
        help_text=DOCUMENT_HELP,
        widget=forms.FileInput,
    )
    motivation = PlainTextField(
        label=_("Quelques mots de motivation (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("2 000 caractères au plus."),
    )
    declaration = forms.BooleanField(
        label=_("Je certifie que les informations de ma candidature sont exactes."),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ma candidature et mes documents soient transmis à l'équipe de "
            "recrutement et aux coordinateurs de la mission, selon la notice de confidentialité."
        ),
        required=False,
    )

    def valid_part(self, name: str) -> Any:
        """A field's cleaned value if it passed, else None (the draft keeps only what is valid)."""
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)
