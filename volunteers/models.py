import uuid
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from core.candidates import CandidateFacts


class UserManager(DjangoUserManager["User"]):
    """Users are identified by their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user_with_email(
        self, email: str, password: str | None, **extra_fields: Any
    ) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user_with_email(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user_with_email(email, password, **extra_fields)


class User(AbstractUser):
    """An account: a candidate, a staff member or a coordinator. The e-mail is the login."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.email


LANGUAGE_CHOICES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("es", _("espagnol")),
    ("pt", _("portugais")),
    ("ar", _("arabe")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("wo", _("wolof")),
    ("ff", _("peul")),
    ("bm", _("bambara")),
    ("ln", _("lingala")),
    ("sw", _("swahili")),
    ("mg", _("malgache")),
    ("km", _("khmer")),
    ("vi", _("vietnamien")),
    ("bi", _("bichelamar")),
    ("ht", _("créole haïtien")),
    ("zh", _("chinois")),
]


class CefrLevel(models.TextChoices):
    A1 = "A1", _("A1 – découverte")
    A2 = "A2", _("A2 – survie")
    B1 = "B1", _("B1 – seuil")
    B2 = "B2", _("B2 – avancé")
    C1 = "C1", _("C1 – autonome")
    C2 = "C2", _("C2 – maîtrise")
    NATIVE = "native", _("langue maternelle")


class EducationLevel(models.TextChoices):
    SECONDARY = "secondary", _("Baccalauréat ou équivalent")
    BAC2 = "bac2", _("Bac +2")
    BAC3 = "bac3", _("Bac +3 (licence)")
    BAC5 = "bac5", _("Bac +5 (master)")
    DOCTORATE = "doctorate", _("Doctorat")
    OTHER = "other", _("Autre")


class TextState(models.TextChoices):
    """Where the text of a document stands, for staff search (read by the worker)."""

    PENDING = "pending", _("à lire")
    DONE = "done", _("lu")
    FAILED = "failed", _("illisible")  # broken, hostile or too heavy: the document stays valid
    UNSUPPORTED = "unsupported", _("format non lu")  # Word 97-2003


def cv_upload_to(volunteer: "Volunteer", filename: str) -> str:
    # The stored name never reuses the candidate's file name: no personal data, no path tricks.
    extension = Path(filename).suffix.lower()[:6]
    return f"cv/{volunteer.user_id}/{uuid.uuid4().hex}{extension}"


class Volunteer(models.Model):
    """The candidate's profile, filled once and reused for every application (the "CV en ligne")."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="volunteer", verbose_name=_("compte")
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"), null=True)
    nationalities = CountryField(_("nationalités"), multiple=True)
    residence = CountryField(_("pays de résidence"))
    # A legal status, apart from where one lives now: a VSI may not serve where one is a
    # regular resident (loi n° 2005-159, art. 2). Empty on profiles made before it was asked.
    regular_residences = CountryField(_("pays de résidence régulière"), multiple=True, blank=True)
    previous_residences = CountryField(
        _("autres pays de résidence ces cinq dernières années"), multiple=True, blank=True
    )
    city = models.CharField(_("ville"), max_length=100)
    phone = PhoneNumberField(_("téléphone"))
    vsi_months = models.PositiveSmallIntegerField(
        _("mois de VSI déjà effectués"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
        help_text=_("Vide : inconnu."),
    )
    professional_activity = models.BooleanField(_("activité professionnelle en cours"), null=True)
    education_level = models.CharField(
        _("niveau d'études"), max_length=12, choices=EducationLevel.choices
    )
    education_field = models.CharField(_("domaine d'études"), max_length=200)
    experience_years = models.PositiveSmallIntegerField(
        _("années d'expérience professionnelle"), validators=[MaxValueValidator(60)]
    )
    preferred_language = models.CharField(
        _("langue des e-mails"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    cv = models.FileField(_("CV"), upload_to=cv_upload_to, blank=True, max_length=200)
    # The name the CV was sent under, shortened and made safe (core.documents.sanitise_filename):
    # shown to the candidate and used for the download; the stored name is random.
    cv_name = models.CharField(_("nom du CV envoyé"), max_length=120, blank=True)
    cv_uploaded_at = models.DateTimeField(_("CV déposé le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True)
    consent_version = models.CharField(_("version du texte consenti"), max_length=20, blank=True)
    # The talent pool: set when the candidate chooses to stay in it (never by default), cleared
    # when they leave it. Membership lasts POOL_MONTHS from the last contact (volunteers.pool).
    pool_since = models.DateTimeField(_("dans le vivier depuis"), null=True, blank=True)
    # The CV's text, read by the worker (talent.extraction) for staff search; cleared with the CV.
    cv_text = models.TextField(_("texte du CV"), blank=True, editable=False)
    cv_text_state = models.CharField(
        _("lecture du CV"), max_length=12, choices=TextState.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("profil de volontaire")
        verbose_name_plural = _("profils de volontaires")
        indexes: ClassVar = [
            # The pool's members by an index-only scan: staff search filters on them (talent).
            models.Index(
                fields=["id", "user"],
                condition=models.Q(pool_since__isnull=False),
                name="volunteer_pool_members",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def facts(self) -> CandidateFacts:
        """What the eligibility rules need to know about this candidate."""
        return CandidateFacts(
            nationalities=frozenset(c.code for c in self.nationalities),
            residence=self.residence.code or None,
            regular_residences=frozenset(c.code for c in self.regular_residences) or None,
            previous_residences=frozenset(c.code for c in self.previous_residences),
            birth_date=self.birth_date,
            vsi_months=self.vsi_months,
            professional_activity=self.professional_activity,
            experience_years=self.experience_years,
            languages={lang.language: lang.level for lang in self.languages.all()},
        )

    def missing(self) -> list[str]:
        """The labels of what is still to fill in before applying."""
        checks = {
            _("date de naissance"): self.birth_date,
            _("nationalités"): self.nationalities,
            _("pays de résidence"): self.residence,
            _("téléphone"): self.phone,
            _("niveau d'études"): self.education_level,
            _("langues"): self.languages.all(),
            _("CV"): self.cv,
            _("consentement"): self.consent_at,
        }
        return [str(label) for label, value in checks.items() if not value]

    def completeness(self) -> int:
        """Percentage of the profile filled in (the eight items of ``missing``)."""
        return round(100 * (8 - len(self.missing())) / 8)


class VolunteerLanguage(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("langue"), max_length=5, choices=LANGUAGE_CHOICES)
    level = models.CharField(_("niveau (CECRL)"), max_length=6, choices=CefrLevel.choices)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["volunteer", "language"], name="volunteer_language_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"
