"""The sample candidates (demo/data/candidates.json): each profile saved as the profile form
saves it, with a real PDF CV, then their applications (``demo.applications``) and a request
for a human review of an eligibility refusal.

A candidate already there is left as it is: loading twice changes nothing. A candidate whose
story fails half-way is removed again, so that the next run tells it whole.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from demo.applications import Story, application_tell, messages_deliver
from demo.documents import cv_pdf, full_name
from demo.reset import people_remove
from missions.eligibility import evaluate
from missions.models import Mission
from missions.services import review_request_create
from volunteers.forms import ProfileForm, language_formset
from volunteers.models import User, Volunteer
from volunteers.pool import pool_join
from volunteers.services import demo_account_ensure, volunteer_profile_save

CANDIDATES = Path(__file__).resolve().parent / "data" / "candidates.json"


def candidate_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(CANDIDATES.read_text())
    return records


def candidates_ensure(*, staff: dict[str, User], now: dt.datetime) -> int:
    """Create the sample candidates missing; returns how many were created."""
    return sum(candidate_ensure(record, staff=staff, now=now) for record in candidate_records())


def candidate_ensure(record: dict[str, Any], *, staff: dict[str, User], now: dt.datetime) -> bool:
    profile = record["profile"]
    user, created = demo_account_ensure(
        email=record["email"], first_name=profile["first_name"], last_name=profile["last_name"]
    )
    if not created:
        return False
    try:
        story = Story(profile_make(user, record, timezone.localdate(now)), record, staff, now)
        for spec in record.get("applications", []):
            application_tell(story, spec)
        if "review_request" in record:
            review_request_tell(story, record["review_request"])
        if "pool_joined_days_ago" in record:  # chose the talent pool, from /me/
            pool_join(volunteer=story.volunteer, now=story.moment(record["pool_joined_days_ago"]))
        messages_deliver(story)
    except Exception:
        people_remove(addresses=[user.email])
        raise
    return True


def profile_make(user: User, record: dict[str, Any], today: dt.date) -> Volunteer:
    """The profile through the profile form and its service, as the candidate would fill it."""
    volunteer = Volunteer(user=user)
    cv = SimpleUploadedFile(f"CV {full_name(record)}.pdf", cv_pdf(record), "application/pdf")
    form = ProfileForm(
        profile_data(record, today), MultiValueDict({"cv": [cv]}), instance=volunteer
    )
    languages = language_formset(languages_data(record["languages"]), volunteer)
    if not (form.is_valid() and languages.is_valid()):
        raise CommandError(f"{record['email']}: {form.errors.as_text()} {languages.errors}")
    return volunteer_profile_save(form=form, languages=languages)


def profile_data(record: dict[str, Any], today: dt.date) -> MultiValueDict[str, str]:
    """The profile form's fields as a browser posts them; the age becomes a date of birth."""
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in record["profile"].items():
        if isinstance(value, list):
            data.setlist(name, value)
        elif isinstance(value, bool):
            data[name] = "yes" if value else "no"
        else:
            data[name] = "" if value is None else str(value)
    born = today - dt.timedelta(days=round(record["age"] * 365.25) + 100)
    data["birth_date"] = born.isoformat()
    data["consent"] = "on"
    return data


def languages_data(levels: dict[str, str]) -> dict[str, str]:
    data = {
        "languages-TOTAL_FORMS": str(len(levels)),
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "1000",
    }
    for index, (language, level) in enumerate(levels.items()):
        data[f"languages-{index}-language"] = language
        data[f"languages-{index}-level"] = level
    return data


def review_request_tell(story: Story, spec: dict[str, Any]) -> None:
    """Refused by the rules (a national of the host country), the candidate asks for a review."""
    mission = Mission.objects.prefetch_related("programmes").get(reference=spec["mission"])
    verdict = evaluate(mission.terms(), story.volunteer.facts(), story.now)
    if verdict.eligible:
        raise CommandError(f"demo story: {story.record['email']} is eligible for {mission}")
    review_request_create(
        mission=mission,
        email=story.volunteer.user.email,
        message=spec["message"],
        verdict=verdict.as_dict(),
        user=story.volunteer.user,
    )
