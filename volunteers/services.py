from collections.abc import Callable
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.documents import atomic_with_files, document_write
from volunteers.forms import BaseLanguageFormSet, ProfileForm
from volunteers.models import TextState, User, Volunteer, VolunteerLanguage, cv_upload_to

# Called once a saved profile is committed, with the volunteer's id, by apps above this one
# (talent: the CV's text is read and the search profile rebuilt), from AppConfig.ready().
SAVED: list[Callable[[int], None]] = []


def demo_staff_ensure(*, email: str, password: str) -> bool:
    """Create the development demo superuser if missing; True if it was created."""
    if User.objects.filter(email=email).exists():
        return False
    user = User.objects.create_superuser(email=email, password=password, first_name="Démo")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return True


def demo_account_ensure(
    *, email: str, first_name: str, last_name: str, is_staff: bool = False
) -> tuple[User, bool]:
    """A development account with a verified address, created if missing, without a password
    (one signs in by code, or gets one from ``demo_password_ensure``); True if created."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email, password=None, first_name=first_name, last_name=last_name, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def demo_password_ensure(*, user: User, password: str) -> bool:
    """Give a development account its published password unless it has one; True if given."""
    if user.has_usable_password():
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    return True


def volunteer_profile_save(*, form: ProfileForm, languages: BaseLanguageFormSet) -> Volunteer:
    """Save a validated profile and its languages; record consent and a replaced CV."""
    # In one transaction; a new CV written here is removed again if it fails (atomic_with_files).
    with atomic_with_files(default_storage) as written:
        volunteer: Volunteer = form.save(commit=False)
        upload = form.cleaned_data.get("cv")
        if isinstance(upload, UploadedFile):
            volunteer.cv = document_write(
                default_storage, cv_upload_to(volunteer, upload.name or "cv"), upload
            )
            written.append(volunteer.cv.name)
        now = timezone.now()
        if volunteer.consent_version != settings.PRIVACY_NOTICE_VERSION:
            volunteer.consent_at = now
            volunteer.consent_version = settings.PRIVACY_NOTICE_VERSION
        # A new upload, or a CV kept from an earlier attempt: either way the stored name changes.
        previous = form.initial.get("cv")
        previous_name = previous.name if previous else ""
        replaced_cv = None
        if volunteer.cv.name != previous_name:
            replaced_cv = previous
            volunteer.cv_uploaded_at = now if volunteer.cv else None
            volunteer.cv_name = form.cv_name if volunteer.cv else ""
            # The old CV's text goes with it; the new one's is read after the commit.
            volunteer.cv_text = ""
            volunteer.cv_text_state = TextState.PENDING if volunteer.cv else ""
        volunteer.save()
        volunteer.languages.all().delete()
        VolunteerLanguage.objects.bulk_create(
            VolunteerLanguage(volunteer=volunteer, language=code, level=level)
            for code, level in languages.levels().items()
        )
        if replaced_cv:
            # The old file goes only once the new profile is committed.
            name = replaced_cv.name
            transaction.on_commit(lambda: volunteer.cv.storage.delete(name), robust=True)
        for hook in SAVED:
            transaction.on_commit(partial(hook, volunteer.pk), robust=True)
        return volunteer


def volunteer_cv_keep(
    *, volunteer: Volunteer, upload: UploadedFile, replacing: str | None = None
) -> str:
    """Store a valid CV sent with an otherwise invalid profile; return its stored name."""
    if replacing and replacing != volunteer.cv.name:
        default_storage.delete(replacing)  # an earlier kept CV that this one replaces
    return document_write(default_storage, cv_upload_to(volunteer, upload.name or "cv"), upload)
