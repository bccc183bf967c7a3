import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.documents import DOCUMENT_HELP, EXTENSIONS, sanitise_filename, validate_document
from volunteers.models import LANGUAGE_CHOICES, CefrLevel, User, Volunteer


class UserCreationForm(auth_forms.BaseUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


class ProfileForm(forms.ModelForm[Volunteer]):
    """The candidate's profile; every error says what to do, and what was typed is kept."""

    professional_activity = forms.TypedChoiceField(
        label=_("Avez-vous une activité professionnelle en cours ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("Un contrat de VSI exclut toute activité professionnelle pendant la mission."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que Volontiers traite ces données pour examiner mes candidatures, "
            "conformément à la notice de confidentialité."
        ),
        error_messages={"required": _("Cochez cette case pour enregistrer votre profil.")},
    )

    class Meta:
        model = Volunteer
        fields = (
            "first_name",
            "last_name",
            "birth_date",
            "nationalities",
            "residence",
            "regular_residences",
            "previous_residences",
            "city",
            "phone",
            "vsi_months",
            "professional_activity",
            "education_level",
            "education_field",
            "experience_years",
            "preferred_language",
            "cv",
        )
        widgets = {  # noqa: RUF012 -- Django's declarative Meta
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # A plain file input: the stored CV has no public URL to link to.
            "cv": forms.FileInput,
            "phone": forms.TextInput(
                attrs={"autocomplete": "tel", "placeholder": "+221 77 123 45 67"}
            ),
        }
        help_texts = {  # noqa: RUF012 -- Django's declarative Meta
            "nationalities": _(
                "Toutes vos nationalités : maintenez Ctrl (ou Cmd) pour en choisir plusieurs."
            ),
            "phone": _("Au format international, avec l'indicatif du pays : +221 77 123 45 67."),
            "residence": _("Le pays où vous vivez aujourd'hui."),
            "regular_residences": _(
                "Les pays dont vous avez la nationalité ou un titre de séjour : un VSI ne peut "
                "pas se dérouler dans l'un d'eux."
            ),
            "vsi_months": _(
                "Durée totale de vos missions de VSI passées, en mois (0 si aucune). Laissez "
                "vide si vous ne la connaissez pas : l'équipe la vérifiera avec vous."
            ),
            "cv": format_lazy("{} {}", DOCUMENT_HELP, _("Il sert pour toutes vos candidatures.")),
        }
        error_messages = {  # noqa: RUF012 -- Django's declarative Meta
            "cv": {"empty": _("Le fichier est vide : choisissez le bon fichier.")},
            "phone": {
                "invalid": _(
                    "Numéro non reconnu : écrivez-le au format international, "
                    "par exemple +221 77 123 45 67."
                )
            },
            "nationalities": {
                "invalid_choice": _("Pays inconnu : choisissez vos nationalités dans la liste.")
            },
            "regular_residences": {
                "required": _("Indiquez au moins un pays, celui de votre nationalité par exemple."),
                "invalid_choice": _("Pays inconnu : choisissez les pays dans la liste."),
            },
            "residence": {
                "invalid_choice": _(
                    "Pays inconnu : choisissez votre pays de résidence dans la liste."
                )
            },
        }

    def __init__(
        self,
        *args: Any,
        pending_cv: str | None = None,
        pending_cv_name: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A CV received with a form that had other errors, kept so it need not be sent again,
        # and the name it was sent under.
        self.pending_cv = pending_cv
        self.cv_name = pending_cv_name
        # The CV is stored under a name of our own and shown under a shortened one: the length
        # of the name it was sent under is no reason to refuse it (the model field's 200 is
        # the stored name's limit), as on the apply form.
        cast(forms.FileField, self.fields["cv"]).max_length = None
        self.fields["regular_residences"].required = True
        self.fields["regular_residences"].label = _(
            "Dans quel(s) pays résidez-vous régulièrement (titre de séjour ou nationalité) ?"
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["birth_date"].widget.attrs["autocomplete"] = "bday"
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        if self.instance.pk and self.instance.professional_activity is not None:
            self.initial["professional_activity"] = (
                "yes" if self.instance.professional_activity else "no"
            )
        self.initial.setdefault("consent", bool(self.instance.consent_at))
        for field in self.fields.values():
            if not field.required:
                # Said in words, not only by a missing asterisk: screen readers read it too.
                field.label = format_lazy(_("{label} (facultatif)"), label=field.label)

    def clean_birth_date(self) -> dt.date | None:
        birth_date: dt.date | None = self.cleaned_data.get("birth_date")
        if birth_date is None:
            raise forms.ValidationError(_("Indiquez votre date de naissance."), code="required")
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError(
                _("Cette date est dans le futur : vérifiez votre date de naissance."), code="future"
            )
        if birth_date.year < today.year - 100:
            raise forms.ValidationError(
                _("Cette date est trop ancienne : vérifiez l'année de naissance."), code="too_old"
            )
        return birth_date

    def clean_cv(self) -> Any:
        cv = self.cleaned_data.get("cv")
        if isinstance(cv, UploadedFile):
            kind = validate_document(cv)
            self.cv_name = sanitise_filename(cv.name or "", kind)
            # Stored under the type found in its content, whatever name the browser sent.
            cv.name = f"cv{EXTENSIONS[kind]}"
        elif self.pending_cv and default_storage.exists(self.pending_cv):
            return self.pending_cv
        return cv

    def received_cv(self) -> UploadedFile | None:
        """The valid CV uploaded with this submission, if any."""
        cv = getattr(self, "cleaned_data", {}).get("cv")
        return cv if isinstance(cv, UploadedFile) and "cv" not in self.errors else None


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue"), choices=[("", "—"), *LANGUAGE_CHOICES])
    level = forms.ChoiceField(label=_("Niveau (CECRL)"), choices=[("", "—"), *CefrLevel.choices])


class BaseLanguageFormSet(forms.BaseFormSet[LanguageForm]):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            language = form.cleaned_data["language"]
            if language in seen:
                form.add_error("language", _("Cette langue figure déjà plus haut : gardez-en une."))
            seen.add(language)

    def levels(self) -> dict[str, str]:
        """The declared languages and levels, without the removed or empty rows."""
        return {
            form.cleaned_data["language"]: form.cleaned_data["level"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=2, max_num=10, can_delete=True
)


def language_formset(data: Any, volunteer: Volunteer) -> BaseLanguageFormSet:
    initial = []
    if volunteer.pk:
        initial = [
            {"language": lang.language, "level": lang.level} for lang in volunteer.languages.all()
        ]
    return cast(BaseLanguageFormSet, LanguageFormSet(data, initial=initial, prefix="languages"))
