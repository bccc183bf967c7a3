"""Pre-departure training: selected volunteers enrolled in a session of their mission (its
capacity respected under the session's row lock), their attendance, their departure (only
after the training attended), and the session's roster as rows for the shared writers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from applications.models import Application, Stage
from core.exports import Cell
from missions.models import TrainingSession
from review.models import TrainingEnrolment
from volunteers.models import User


@dataclass
class Outcome:
    """What a bulk action did: the references done, and each refusal with its reason."""

    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def training_enrol(
    *, applications: Iterable[Application], session: TrainingSession, acting_user: User
) -> Outcome:
    """Enrol selected volunteers of the session's mission, while seats are left; one already
    in another session of the mission moves to this one."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    outcome = Outcome()
    taken = session.enrolments.count()
    for application in applications:
        reference = application.reference or str(application.pk)
        problem = enrol_problem(application, session)
        enrolment = TrainingEnrolment.objects.filter(application=application).first()
        if enrolment is not None and enrolment.session_id == session.pk:
            continue  # already there: nothing to do, nothing to refuse
        if problem is None and taken >= session.capacity:
            problem = _("la session est complète (%(capacity)d places).") % {
                "capacity": session.capacity
            }
        if problem is not None:
            outcome.refused.append((reference, problem))
            continue
        if enrolment is None:
            TrainingEnrolment.objects.create(application=application, session=session)
        else:
            enrolment.session = session
            enrolment.attended = None
            enrolment.attendance_by = None
            enrolment.save(update_fields=["session", "attended", "attendance_by"])
        taken += 1
        outcome.done.append(reference)
    return outcome


def enrol_problem(application: Application, session: TrainingSession) -> str | None:
    if application.stage != Stage.SELECTED:
        return _("seule une candidature retenue peut être inscrite en formation.")
    if application.mission_id != session.mission_id:
        return _("cette session est celle d'une autre mission.")
    return None


def training_attendance_record(
    *, enrolment: TrainingEnrolment, attended: bool | None, acting_user: User
) -> TrainingEnrolment:
    """Whether the volunteer attended the session (None: not known yet), and who said so."""
    enrolment.attended = attended
    enrolment.attendance_by = acting_user if attended is not None else None
    enrolment.save(update_fields=["attended", "attendance_by"])
    return enrolment


@transaction.atomic
def applications_mark_departed(
    *, applications: Iterable[Application], now: dt.datetime, acting_user: User
) -> Outcome:
    """Mark selected volunteers as departed: refused for one who has not attended the
    training (a legal requirement, loi n° 2005-159, art. 4)."""
    outcome = Outcome()
    ids = [a.pk for a in applications]
    locked = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("training_enrolment", "volunteer")
        .order_by("pk")
    )
    for application in locked:
        reference = application.reference or str(application.pk)
        problem = departure_problem(application)
        if problem is not None:
            outcome.refused.append((reference, problem))
            continue
        if application.departed_at is None:
            application.departed_at = now
            # Who marked it, in the application's history (django-simple-history's hook).
            application._history_user = acting_user  # type: ignore[attr-defined]
            application.save(update_fields=["departed_at", "updated_at"])
        outcome.done.append(reference)
    return outcome


def departure_problem(application: Application) -> str | None:
    if application.stage != Stage.SELECTED:
        return _("seule une candidature retenue peut partir en mission.")
    enrolment = getattr(application, "training_enrolment", None)
    if enrolment is None:
        return _(
            "%(name)s n'est inscrit·e à aucune session de formation au départ : "
            "inscrivez-le·la, puis notez sa présence."
        ) % {"name": application.volunteer}
    if enrolment.attended is not True:
        return _(
            "%(name)s n'a pas encore suivi la formation au départ (obligatoire) : "
            "notez sa présence avant de le·la marquer parti·e."
        ) % {"name": application.volunteer}
    return None


def phone(number: object) -> str:
    """A phone number as dialled from abroad (+33…), or empty."""
    return str(getattr(number, "as_e164", "") or "")


def roster_enrolments(session: TrainingSession) -> QuerySet[TrainingEnrolment]:
    return (
        TrainingEnrolment.objects.filter(session=session)
        .select_related("application__volunteer__user", "application__mission")
        .order_by("application__volunteer__last_name", "application__volunteer__first_name")
    )


def roster_rows(session: TrainingSession) -> Iterator[list[Cell]]:
    """The session's roster: a header, then one row per enrolled volunteer."""
    yield [
        _("Nom"), _("Prénom"), _("E-mail"), _("Téléphone"), _("Mission"), _("Candidature"),
        _("Session"), _("A suivi la formation"),
    ]  # fmt: skip
    attended = {True: _("oui"), False: _("non"), None: ""}
    for enrolment in roster_enrolments(session).iterator():
        application = enrolment.application
        volunteer = application.volunteer
        yield [
            volunteer.last_name, volunteer.first_name, volunteer.user.email,
            phone(volunteer.phone), application.mission.reference, application.reference,
            session.title, attended[enrolment.attended],
        ]  # fmt: skip
