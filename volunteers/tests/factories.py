import datetime as dt
import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from pypdf import PdfWriter

from volunteers.models import User, Volunteer, VolunteerLanguage


def pdf_bytes(pages: int = 1, padding: int = 0) -> bytes:
    """A real, readable PDF; ``padding`` bytes more in a metadata string, for a bigger file."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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
    city = "Lyon"
    phone = "+33612345678"
    vsi_months = 0
    professional_activity = False
    education_level = "bac5"
    education_field = "Développement international"
    experience_years = 6
    cv = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="cv.pdf"))
    consent_at = factory.LazyFunction(lambda: dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    consent_version = "2026-11"

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            chosen = {"fr": "native", "en": "C1"} if extracted is None else extracted
            for code, level in chosen.items():
                VolunteerLanguage.objects.create(volunteer=self, language=code, level=level)
