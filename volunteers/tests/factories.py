import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from testing import clock
from testing.documents import pdf_bytes
from volunteers.models import User, Volunteer, VolunteerLanguage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    first_name = "Awa"
    last_name = "Martin"
    birth_date = dt.date(1994, 5, 17)
    nationalities = ("FR",)
    residence = "FR"
    regular_residences = ("FR",)
    city = "Lyon"
    phone = "+33612345678"
    vsi_months = 0
    professional_activity = False
    education_level = "bac5"
    education_field = "Développement international"
    experience_years = 6
    cv = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="cv.pdf"))
    consent_at = factory.LazyFunction(lambda: clock.at(-25))
    consent_version = factory.LazyFunction(lambda: settings.PRIVACY_NOTICE_VERSION)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            chosen = {"fr": "native", "en": "C1"} if extracted is None else extracted
            for code, level in chosen.items():
                VolunteerLanguage.objects.create(volunteer=self, language=code, level=level)


def profile_data(**changes) -> dict:
    """What the profile form posts for a complete, eligible profile; ``changes`` override it."""
    data = {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "birth_date": "1994-05-17",
        "nationalities": ["FR", "SN"],
        "residence": "FR",
        "regular_residences": ["FR"],
        "previous_residences": [],
        "city": "Lyon",
        "phone": "+33 6 12 34 56 78",
        "vsi_months": "12",
        "professional_activity": "no",
        "education_level": "bac5",
        "education_field": "Économie sociale et solidaire",
        "experience_years": "6",
        "preferred_language": "fr",
        "consent": "on",
        "languages-TOTAL_FORMS": "2",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "10",
        "languages-0-language": "fr",
        "languages-0-level": "native",
        "languages-1-language": "en",
        "languages-1-level": "B2",
    }
    data.update(changes)
    return data


def cv_upload(content: bytes | None = None, name: str = "mon-cv.pdf") -> SimpleUploadedFile:
    """A CV as the profile form receives it (a real PDF unless ``content`` is given)."""
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, "application/pdf")
