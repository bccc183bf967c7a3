from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Field, QuerySet
from django.utils import timezone

from missions import cache as mission_cache
from missions.languages import TRANSLATED_FIELDS
from missions.models import Mission, Partner, Programme, Question, ReviewRequest, new_version
from missions.models.questions import MEANING_FIELDS
from missions.webhooks import missions_emit_status

# Dates a sample mission keeps while it is open (see mission_load).
DATE_FIELDS = ("deadline_date", "start_date", "training_start", "training_end", "published_on")


@transaction.atomic
def missions_set_status(
    *, missions: QuerySet[Mission], status: str, acting_user: AbstractBaseUser
) -> tuple[int, dict[str, list[str]]]:
    """Move missions to a status; return how many changed and, by reference, why not the others.
    Webhooks hear of a publication or a closure in the same transaction."""
    if status not in Mission.Status.values:
        raise ValueError(f"Unknown mission status: {status}")
    refused: dict[str, list[str]] = {}
    if status == Mission.Status.PUBLISHED:
        for mission in missions.prefetch_related("programmes"):
            problems = mission.publication_problems()
            if problems:
                refused[mission.reference] = [p for found in problems.values() for p in found]
    transaction.on_commit(mission_cache.bump)
    moving = missions.exclude(status=status).exclude(reference__in=refused)
    moved = list(moving.order_by("pk"))
    now = timezone.now()
    changed = Mission.objects.filter(pk__in=[m.pk for m in moved]).update(
        status=status, updated_at=now
    )
    if status == Mission.Status.PUBLISHED:  # first publication only: what alerts call new
        Mission.objects.filter(pk__in=[m.pk for m in moved], published_at=None).update(
            published_at=now
        )
    # Who changed what, in the admin's own history of each mission.
    LogEntry.objects.log_actions(
        user_id=int(acting_user.pk),
        queryset=moved,
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["status"]}}],
        single_object=False,
    )
    missions_emit_status(Mission.objects.filter(pk__in=[m.pk for m in moved]).order_by("pk"))
    return changed, refused


def question_save(*, question: Question, changed: Iterable[str]) -> Question:
    """Save a question edited by staff; return the question now asked. A change of meaning
    (``MEANING_FIELDS``) to a question already answered in a submitted application makes a
    new version in its place, so that the earlier answers keep the question they answered."""
    changed = set(changed)
    if (
        question.pk is not None
        and changed & set(MEANING_FIELDS)
        and question.has_submitted_answers()
    ):
        question = new_version(question, {name: getattr(question, name) for name in changed})
    else:
        question.save()
    # Knock-out questions are part of the missions' kept links (missions.selectors).
    transaction.on_commit(mission_cache.bump)
    return question


def review_request_create(
    *, mission: Mission, email: str, message: str, verdict: dict[str, Any], user: Any = None
) -> ReviewRequest:
    """Record a candidate's request for a human review of an eligibility refusal."""
    return ReviewRequest.objects.create(
        mission=mission, email=email, message=message, verdict=verdict, user=user
    )


def mission_load(*, record: dict[str, Any], keep_dates_while_open: bool) -> bool:
    """Create or update a mission from a plain record; writes only what differs. True if created.

    With ``keep_dates_while_open`` (sample missions whose dates are relative to today) the
    dates are rewritten only once the stored deadline has passed, so the samples stay open
    and running the loader twice changes nothing. A record's ``title`` is the French title,
    ``title_en`` the English one (missions/languages.py), and so for each translated field.
    """
    # A translated field's plain name is its French text (the source); ``title_en`` is English.
    fields = {f"{k}_fr" if k in TRANSLATED_FIELDS else k: v for k, v in record.items()}
    programme_slugs = fields.pop("programmes", [])
    partner_slugs = fields.pop("partners", [])
    mission = Mission.objects.filter(reference=fields["reference"]).first()
    created = mission is None
    if mission is None:
        mission = Mission()
    elif keep_dates_while_open and mission.deadline_date >= timezone.localdate():
        for name in DATE_FIELDS:
            fields.pop(name, None)
    changed = {}
    for name, value in fields.items():
        field = Mission._meta.get_field(name)
        if not isinstance(field, Field):
            raise TypeError(f"{name} is not a plain field of Mission")
        new_value = field.to_python(value)
        if created or field.value_from_object(mission) != new_value:
            changed[name] = new_value
    if changed:
        for name, value in changed.items():
            setattr(mission, name, value)
        mission.full_clean(exclude=["deadline_at"])  # derived in save()
        mission.save()
    links_changed = False
    if set(mission.programmes.values_list("slug", flat=True)) != set(programme_slugs):
        mission.programmes.set(Programme.objects.filter(slug__in=programme_slugs))
        links_changed = True  # the cards show the programmes, the page the partners
    if set(mission.partners.values_list("slug", flat=True)) != set(partner_slugs):
        mission.partners.set(Partner.objects.filter(slug__in=partner_slugs))
        links_changed = True
    if changed or links_changed:
        transaction.on_commit(mission_cache.bump)
    return created


def directory_load(*, programmes: dict[str, str], partners: dict[str, str]) -> None:
    """Create the programmes and partners a mission record refers to by slug."""
    for slug, name in programmes.items():
        Programme.objects.get_or_create(slug=slug, defaults={"name": name})
    for slug, name in partners.items():
        Partner.objects.get_or_create(slug=slug, defaults={"name": name})
