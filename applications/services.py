"""Every write on applications: drafts, submission, withdrawal, deletion."""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import answers, emails
from applications.documents import Upload, document_delete, document_store, documents_store
from applications.models import (
    Answer,
    Application,
    ApplicationDocument,
    Source,
    Stage,
)
from applications.stages import STAGE_FIELDS, stage_moved
from applications.webhooks import application_emit_stage
from core.documents import atomic_with_files
from missions.eligibility import Verdict, evaluate
from missions.models import (
    Event,
    Mission,
    Question,
    QuestionKind,
    mission_questions,
    questions_prefetch,
)
from missions.tallies import Count, tally_add
from notifications import outbox
from volunteers.models import User, Volunteer
from volunteers.selectors import email_verified

# Called once a submission is committed, with the volunteer's id, by apps above this one
# (talent: the candidate becomes a past applicant in staff search), from AppConfig.ready().
SUBMITTED: list[Callable[[int], None]] = []
# Called in the transaction that deletes an application, with the volunteer's id (talent: its
# answers and documents leave the search at once).
DELETED: list[Callable[[int], None]] = []


class ApplicationError(Exception):
    """A submission or change that cannot be made; ``messages`` say why, for the candidate."""

    def __init__(self, *messages: Any) -> None:
        super().__init__(*messages)
        self.messages = [str(message) for message in messages]


class NotEligible(ApplicationError):
    def __init__(self, verdict: Verdict) -> None:
        super().__init__(*(finding.message for finding in verdict.refusals))
        self.verdict = verdict


def application_draft_get(
    *, volunteer: Volunteer, mission: Mission, source: tuple[str, str] = (Source.CATALOGUE, "")
) -> Application:
    """The candidate's application to a mission, created as a draft the first time, with
    where the candidate came from (``applications.sources``)."""
    try:
        with transaction.atomic():
            application, created = Application.objects.get_or_create(
                volunteer=volunteer,
                mission=mission,
                defaults={"source": source[0], "source_detail": source[1]},
            )
            if created:  # the dashboard's "drafts started"
                tally_add(
                    mission_id=mission.pk, at=application.created_at, counts=[(Event.DRAFT, "")]
                )
    except IntegrityError:
        # Two tabs opened the form at once: the other one created it.
        application = Application.objects.get(volunteer=volunteer, mission=mission)
    return application


def application_draft_save(
    *,
    application: Application,
    motivation: str | None = None,
    use_profile_cv: bool | None = None,
    declaration: bool | None = None,
    consent: bool | None = None,
    letter: UploadedFile | None = None,
    cv: UploadedFile | None = None,
) -> Application:
    """Keep what the candidate entered so far; None leaves a part as it was saved."""
    # In one transaction; files written here are removed again if it fails (atomic_with_files).
    with atomic_with_files(default_storage) as written:
        # Locked and checked here, not earlier: a submission may have just finished.
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.stage != Stage.DRAFT:
            raise ApplicationError(
                _("Cette candidature est déjà envoyée : elle ne peut plus changer.")
            )
        if motivation is not None:
            application.motivation = motivation
        if use_profile_cv is not None:
            application.use_profile_cv = use_profile_cv
        if declaration is not None:
            application.declaration = declaration
        if consent and application.consent_at is None:
            application.consent_at = timezone.now()
        elif consent is False:
            application.consent_at = None
        application.save(
            update_fields=[
                "motivation",
                "use_profile_cv",
                "declaration",
                "consent_at",
                "updated_at",
            ]
        )
        uploads = [
            Upload(kind, data, data.name or "")
            for kind, data in (("letter", letter), ("cv", cv))
            if data is not None
        ]
        stored = documents_store(application=application, uploads=uploads)
        written.extend(document.file.name for document in stored)
        return application


def application_answers_save(
    *,
    application: Application,
    questions: Sequence[Question],
    changes: Mapping[int, Any],
    uploads: Mapping[int, UploadedFile],
) -> None:
    """Keep the answers given in the draft: those changed, the files sent; drop the answers
    of questions now hidden by their condition, or emptied. Queries: the same number for 10
    questions or 40 (a file sent adds its own)."""
    with atomic_with_files(default_storage) as written:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.stage != Stage.DRAFT:
            raise ApplicationError(
                _("Cette candidature est déjà envoyée : elle ne peut plus changer.")
            )
        existing = answers.saved_answers(application)
        visible = answers.visible_after(questions, existing, changes, uploads)
        asked = {question.pk for question in questions}
        dropped = [
            answer
            for pk, answer in existing.items()
            if pk not in visible or pk not in asked or (pk in changes and changes[pk] is None)
        ]
        replaced = [answer.document for answer in dropped if answer.document is not None]
        rows = []
        for position, question in enumerate(questions):
            if question.pk not in visible:
                continue
            if question.kind == QuestionKind.FILE and question.pk in uploads:
                upload = uploads[question.pk]
                document = answers.supporting_document_store(application, question, upload)
                written.append(document.file.name)
                earlier = existing.get(question.pk)
                if earlier is not None and earlier.document is not None:
                    replaced.append(earlier.document)
                rows.append(answers.answer_row(application, question, position, None, document))
            elif changes.get(question.pk) is not None:
                value = changes[question.pk]
                rows.append(answers.answer_row(application, question, position, value))
        if dropped:
            Answer.objects.filter(pk__in=[answer.pk for answer in dropped]).delete()
        answers.answers_upsert(rows)
        for document in replaced:
            document_delete(document=document)
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())


def missing_for_submission(
    application: Application,
    questions: Sequence[Question] | None = None,
    saved: Mapping[int, Answer] | None = None,
) -> list[str]:
    """What still stops a draft from being sent, in the candidate's words (the mission's
    questions and the draft's answers are read unless given)."""
    if questions is None:
        questions = mission_questions(application.mission)
    if saved is None:
        saved = answers.saved_answers(application)
    kinds = {document.kind for document in application.documents.all()}
    missing: list[Any] = (
        [
            _("Complétez votre profil : %(missing)s.")
            % {"missing": ", ".join(application.volunteer.missing())}
        ]
        if application.volunteer.missing()
        else []
    )
    if "letter" not in kinds:
        missing.append(_("Ajoutez votre lettre de motivation."))
    if application.use_profile_cv and not application.volunteer.cv:
        missing.append(_("Votre profil n'a pas de CV : déposez-en un ici ou dans votre profil."))
    if not application.use_profile_cv and "cv" not in kinds:
        missing.append(_("Ajoutez votre CV."))
    if not application.declaration:
        missing.append(_("Cochez la déclaration sur l'honneur."))
    if application.consent_at is None:
        missing.append(_("Cochez le consentement au traitement de vos données."))
    missing.extend(answers.answers_missing(questions, saved))
    return [str(message) for message in missing]


def application_submit(*, application_id: int, now: dt.datetime) -> Application:
    """Send a draft: checks, reference, eligibility snapshot, history and confirmation, at once."""
    with atomic_with_files(default_storage) as written:
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("volunteer__user", "mission")
            .get(pk=application_id)
        )
        if application.stage != Stage.DRAFT:
            raise ApplicationError(
                _("Cette candidature est déjà envoyée (référence %(reference)s).")
                % {"reference": application.reference}
            )
        volunteer, mission = application.volunteer, application.mission
        if not email_verified(volunteer.user):
            raise ApplicationError(_("Vérifiez d'abord votre adresse e-mail."))
        # Lock the mission: references are numbered one after the other, per mission.
        mission = (
            Mission.objects.select_for_update()
            .prefetch_related("programmes", questions_prefetch())
            .get(pk=mission.pk)
        )
        verdict = submission_checked(application, mission, now)
        if application.use_profile_cv:
            written.append(copy_profile_cv(application=application, volunteer=volunteer).file.name)
        application_number(application, mission)
        application.stage = Stage.SUBMITTED
        application.submitted_at = now
        application.eligibility = verdict.as_dict()
        application.profile = profile_snapshot(volunteer)
        stage_moved(
            application,
            previous=Stage.DRAFT,
            at=now,
            by=volunteer.user,
            counts=submission_counts(application),
        )
        application.save(
            update_fields=[
                "number", "reference", "submitted_at", "eligibility", "profile", *STAGE_FIELDS,
            ]
        )  # fmt: skip
        outbox.enqueue(emails.application_submitted(application))
        application_emit_stage(application, previous=Stage.DRAFT)
        for hook in SUBMITTED:
            transaction.on_commit(partial(hook, volunteer.pk), robust=True)
        return application


def submission_counts(application: Application) -> list[Count]:
    """What the dashboard counts of a submission besides itself: the candidate's country of
    residence and nationalities (from the profile sent), and where they came from."""
    profile = application.profile
    counts: list[Count] = [(Event.SOURCE, application.source or Source.CATALOGUE)]
    if profile.get("residence"):
        counts.append((Event.RESIDENCE, profile["residence"]))
    counts.extend((Event.NATIONALITY, code) for code in profile.get("nationalities", []))
    return counts


def submission_checked(application: Application, mission: Mission, now: dt.datetime) -> Verdict:
    """Check a draft before it is sent (eligibility, with the knock-out answers; what is
    missing), freeze its answers, and return the verdict; or raise why it cannot be sent."""
    questions = mission_questions(mission)
    saved = answers.saved_answers(application)
    facts = replace(application.volunteer.facts(), answers=answers.knockout_answers(saved))
    verdict = evaluate(mission.terms(), facts, now)
    if not verdict.eligible:
        raise NotEligible(verdict)
    missing = missing_for_submission(application, questions, saved)
    if missing:
        raise ApplicationError(*missing)
    # The answers as they were sent, whatever becomes of the questions later.
    answers.answers_freeze(application=application, questions=questions, answers=saved)
    return verdict


def application_number(application: Application, mission: Mission) -> None:
    """Give the application the mission's next number and its reference (``3S1284-0042``);
    the caller holds the mission's row lock, so numbers follow one another."""
    # After the last number given, even if its application was deleted since, and after
    # any number in use (applications loaded by a script do not move the counter).
    last = Application.objects.filter(mission=mission).aggregate(last=Max("number"))["last"]
    application.number = max(mission.last_application_number, last or 0) + 1
    application.reference = f"{mission.reference}-{application.number:04d}"
    # The counter alone: the rest of the mission row is not the candidate's to write.
    Mission.objects.filter(pk=mission.pk).update(last_application_number=application.number)


def copy_profile_cv(*, application: Application, volunteer: Volunteer) -> ApplicationDocument:
    """The application keeps its own copy of the CV sent, whatever happens to the profile later."""
    try:
        with volunteer.cv.open("rb") as cv:
            return document_store(
                application=application,
                kind="cv",
                data=cv,
                name=f"CV {volunteer.first_name} {volunteer.last_name}",
            )
    except (OSError, ValidationError) as error:
        raise ApplicationError(
            _("Le CV de votre profil ne peut pas être lu : déposez-le de nouveau.")
        ) from error


def profile_snapshot(
    volunteer: Volunteer, languages: dict[str, str] | None = None
) -> dict[str, Any]:
    """The profile as it stood when the application was sent (``languages`` saves a query)."""
    if languages is None:
        languages = {lang.language: lang.level for lang in volunteer.languages.all()}
    return {
        "first_name": volunteer.first_name,
        "last_name": volunteer.last_name,
        "email": volunteer.user.email,
        "birth_date": volunteer.birth_date.isoformat() if volunteer.birth_date else None,
        "nationalities": [c.code for c in volunteer.nationalities],
        "residence": volunteer.residence.code,
        "regular_residences": [c.code for c in volunteer.regular_residences],
        "previous_residences": [c.code for c in volunteer.previous_residences],
        "city": volunteer.city,
        "phone": str(volunteer.phone),
        "vsi_months": volunteer.vsi_months,
        "professional_activity": volunteer.professional_activity,
        "education_level": volunteer.education_level,
        "education_field": volunteer.education_field,
        "experience_years": volunteer.experience_years,
        "languages": languages,
        "preferred_language": volunteer.preferred_language,
    }


@transaction.atomic
def application_withdraw(*, application_id: int, by: User, comment: str = "") -> Application:
    """The candidate withdraws before a decision; recorded in history and confirmed by e-mail."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("volunteer__user", "mission")
        .get(pk=application_id)
    )
    if not application.can_withdraw:
        raise ApplicationError(
            _("Cette candidature ne peut plus être retirée (étape : %(stage)s).")
            % {"stage": application.get_stage_display()}
        )
    previous = application.stage
    application.stage = Stage.WITHDRAWN
    application.withdrawn_at = timezone.now()
    stage_moved(application, previous=previous, at=application.withdrawn_at, by=by, comment=comment)
    application.save(update_fields=["withdrawn_at", *STAGE_FIELDS])
    outbox.enqueue(emails.application_withdrawn(application))
    application_emit_stage(application, previous=previous)
    return application


@transaction.atomic
def application_delete(*, application: Application) -> None:
    """Delete an application with its documents' files (removed once the deletion commits)."""
    for document in application.documents.all():
        document_delete(document=document)
    application.delete()
    for hook in DELETED:
        hook(application.volunteer_id)
