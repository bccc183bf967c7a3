"""The candidate's rights (GDPR, CNIL guidance for recruitment): a copy of everything, erasure,
and a retention limit for unsuccessful candidates."""

import datetime as dt
import json
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from applications.documents import document_delete
from applications.models import (
    WITHDRAWABLE,
    Application,
    ApplicationDocument,
    Stage,
)
from applications.stages import STAGE_FIELDS, stage_moved
from applications.webhooks import application_emit_stage
from core.dates import months
from notifications import outbox
from volunteers.erasure import ACCOUNT_ERASERS, ARCHIVE_SECTIONS
from volunteers.models import User, Volunteer

logger = logging.getLogger(__name__)
ERASED = "—"


def personal_data_archive(*, user: User) -> IO[bytes]:
    """A ZIP with the profile, applications (history, eligibility, answers), documents,
    e-mails sent, and the ARCHIVE_SECTIONS (who outside staff saw the file)."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    volunteer = Volunteer.objects.filter(user=user).prefetch_related("languages").first()
    applications = Application.objects.filter(volunteer__user=user).select_related("mission")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "account.json", dumps({"email": user.email, "date_joined": user.date_joined})
        )
        if volunteer is not None:
            archive.writestr("profile.json", dumps(profile_data(volunteer)))
            if volunteer.cv:
                copy_into(archive, volunteer.cv, f"profile/CV{Path(volunteer.cv.name).suffix}")
        archive.writestr("applications.json", dumps([application_data(a) for a in applications]))
        for application in applications:
            for document in application.documents.all():
                folder = application.reference or application.pk
                if document.kind == ApplicationDocument.Kind.SUPPORTING:
                    folder = f"{folder}/answers"  # a file answering a question
                copy_into(archive, document.file, f"applications/{folder}/{document.original_name}")
        archive.writestr("emails.json", dumps(outbox.messages_to(user.email)))
        for name, section in ARCHIVE_SECTIONS.items():
            archive.writestr(f"{name}.json", dumps(section(user)))
    target.seek(0)
    return target


def copy_into(archive: zipfile.ZipFile, file: Any, name: str) -> None:
    with file.open("rb") as source, archive.open(name, "w") as entry:
        shutil.copyfileobj(source, entry, 1024 * 1024)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def profile_data(volunteer: Volunteer) -> dict[str, Any]:
    fields = [f.name for f in Volunteer._meta.concrete_fields if f.name not in {"id", "user", "cv"}]
    data = {name: getattr(volunteer, name) for name in fields}
    data["nationalities"] = [c.code for c in volunteer.nationalities]
    data["regular_residences"] = [c.code for c in volunteer.regular_residences]
    data["previous_residences"] = [c.code for c in volunteer.previous_residences]
    data["languages"] = {lang.language: lang.level for lang in volunteer.languages.all()}
    return data


def application_data(application: Application) -> dict[str, Any]:
    return {
        "mission": f"{application.mission.reference} – {application.mission.title}",
        "reference": application.reference,
        "stage": application.stage,
        "submitted_at": application.submitted_at,
        "source": application.source,
        "source_detail": application.source_detail,
        "motivation": application.motivation,
        "eligibility": application.eligibility,
        "profile_as_sent": application.profile,
        "answers": [
            {"question": answer.label_fr, "answer": answer.text_fr, "value": answer.value}
            for answer in application.answers.all()
        ],
        "history": [
            {"from": h.from_stage, "to": h.to_stage, "at": h.at, "comment": h.comment}
            for h in application.history.all()
        ],
    }


@transaction.atomic
def account_erase(*, user: User, reason: str) -> None:
    """Erase a candidate: applications withdrawn, files removed, profile and e-mail log anonymised.

    The rows stay (anonymised) so that staff statistics and references remain consistent.
    """
    for application in Application.objects.select_for_update().filter(volunteer__user=user):
        if application.stage in WITHDRAWABLE or application.stage == Stage.DRAFT:
            previous = application.stage
            application.stage = Stage.WITHDRAWN
            application.withdrawn_at = timezone.now()
            stage_moved(application, previous=previous, at=application.withdrawn_at, comment=reason)
            if previous != Stage.DRAFT:  # receivers heard of it: they hear of its end
                application_emit_stage(application, previous=previous)
        application.answers.all().delete()  # they may say anything about the candidate
        for document in application.documents.all():
            document_delete(document=document)
        application.motivation = ""
        application.profile = {}
        application.save(update_fields=["withdrawn_at", "motivation", "profile", *STAGE_FIELDS])
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is not None:
        if volunteer.cv:
            name, storage = volunteer.cv.name, volunteer.cv.storage
            transaction.on_commit(lambda: storage.delete(name), robust=True)
        volunteer.languages.all().delete()
        Volunteer.objects.filter(pk=volunteer.pk).update(
            first_name=ERASED, last_name=ERASED, birth_date=None, nationalities="", residence="",
            regular_residences="", previous_residences="", city="", phone="", education_field="",
            cv="", cv_name="", cv_text="", cv_text_state="", pool_since=None,
        )  # fmt: skip
    for erase in ACCOUNT_ERASERS:  # other apps' data (alerts, the talent search)
        erase(user)
    outbox.messages_erase(to=user.email, replacement=f"erased-{user.pk}@invalid")
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@invalid"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def candidates_past_retention(*, now: dt.datetime) -> list[User]:
    """Candidates with no application still in play whose last contact is older than the limit:
    ``RETENTION_MONTHS``, or ``POOL_MONTHS`` for those in the talent pool (``volunteers.pool``),
    whose joining counts as a contact."""
    limit = now - months(settings.RETENTION_MONTHS)
    pool_limit = now - months(settings.POOL_MONTHS)
    in_play = Stage.SUBMITTED, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.SELECTED
    outside_pool = Q(volunteer__pool_since__isnull=True) & last_contact_before(limit)
    # Joining the pool never shortens the time a candidate is kept.
    kept_until = min(limit, pool_limit)
    in_pool = Q(volunteer__pool_since__lt=kept_until) & last_contact_before(kept_until)
    return list(
        User.objects.filter(is_active=True, is_staff=False, volunteer__isnull=False)
        .exclude(volunteer__applications__stage__in=in_play)
        .annotate(last_application=Max("volunteer__applications__updated_at"))
        .filter(outside_pool | in_pool)
    )


def last_contact_before(limit: dt.datetime) -> Q:
    """No sign-in (or sign-up) and no change to an application since ``limit``."""
    signed_in = Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit)
    return signed_in & (Q(last_application__lt=limit) | Q(last_application__isnull=True))


def retention_purge(*, now: dt.datetime) -> int:
    """Anonymise unsuccessful candidates past the retention period; logs a count, no names."""
    candidates = candidates_past_retention(now=now)
    for user in candidates:
        account_erase(user=user, reason="retention")
    logger.info("retention: %d candidate accounts anonymised", len(candidates))
    return len(candidates)
