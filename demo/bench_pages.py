"""``seed_bench``: what the benchmark's signed-in and token pages read (bench/targets.json).

- the bench candidate's five applications (their /me/, a mission page with their own
  application, the apply steps of a draft): four sent to B0003 to B0006 at different
  stages, and a draft ready to send to B0007 (its letter and CV stored);
- an interview invitation: a candidate of B0003 at the interview stage, twelve open slots,
  and the link's token (the booking page);
- a partner link over twenty-five of B0001's shortlisted candidates, its token and a session
  that gave its code (the partner's review page).

The tokens and the session are written to a JSON file (``--tokens``) that bench/run.sh reads
to fill the ``{token:…}`` placeholders of the targets' addresses.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.models import Application, Stage
from applications.services import profile_snapshot
from missions.models import Mission
from review.interviews import invitation_token
from review.models import InterviewSlot
from selection import links
from selection.models import PartnerLink
from selection.views import SESSION_KEY
from volunteers.models import User, Volunteer

OWN_STAGES = [Stage.SUBMITTED, Stage.IN_REVIEW, Stage.SHORTLISTED, Stage.REJECTED]
SLOTS = 12
PARTNER_CANDIDATES = 25


def candidate_applications(volunteer: Volunteer, missions: list[Mission], pdf: bytes) -> None:
    """The bench candidate's sent applications, one per mission given but the last, and a
    draft ready to send to the last, through the services as the apply form saves it."""
    now = timezone.now()
    *sent, drafted = missions
    Application.objects.bulk_create(
        Application(
            volunteer=volunteer,
            mission=mission,
            number=1,
            reference=f"{mission.reference}-000001",
            stage=stage,
            submitted_at=now - dt.timedelta(days=n + 1),
            motivation="Bench",
            eligibility={"eligible": True, "rules_version": "bench", "findings": []},
            profile=profile_snapshot(volunteer, languages={"fr": "native"}),
        )
        for n, (mission, stage) in enumerate(zip(sent, OWN_STAGES, strict=True))
    )
    # Begun here rather than by application_draft_get, which counts a draft for the dashboard.
    draft = Application.objects.create(volunteer=volunteer, mission=drafted)
    services.application_draft_save(
        application=draft,
        motivation="Bench",
        use_profile_cv=False,
        declaration=True,
        consent=True,
        letter=SimpleUploadedFile("lettre.pdf", pdf, "application/pdf"),
        cv=SimpleUploadedFile("cv.pdf", pdf, "application/pdf"),
    )


def interview_token(mission: Mission, volunteer: Volunteer) -> str:
    """An application to ``mission`` at the interview stage, open slots, and its link's token."""
    now = timezone.now()
    application = Application.objects.create(
        volunteer=volunteer,
        mission=mission,
        number=2,
        reference=f"{mission.reference}-000002",
        stage=Stage.INTERVIEW,
        submitted_at=now - dt.timedelta(days=3),
        eligibility={"eligible": True, "rules_version": "bench", "findings": []},
        profile=profile_snapshot(volunteer, languages={"fr": "native"}),
    )
    InterviewSlot.objects.bulk_create(
        InterviewSlot(
            mission=mission,
            starts_at=now + dt.timedelta(days=7 + n // 4, hours=n % 4),
            time_zone=mission.time_zone,
            capacity=2,
            video_url="https://visio.example.org/bench",
        )
        for n in range(SLOTS)
    )
    return invitation_token(application)


def partner_session(mission: Mission, staff: User) -> tuple[str, str]:
    """A partner link over some of the mission's shortlist, its token, and the key of a
    session that gave the link's code."""
    now = timezone.now()
    chosen = list(
        Application.objects.filter(mission=mission, stage=Stage.SHORTLISTED).order_by("pk")[
            :PARTNER_CANDIDATES
        ]
    )
    link = PartnerLink(
        mission=mission,
        organisation="Partenaire (bench)",
        person="Bench Partner",
        email="bench-partner@example.org",
        scope=PartnerLink.Scope.CHOSEN,
        expires_at=now + dt.timedelta(days=30),
        created_by=staff,
    )
    # Made as links.link_create makes it, without e-mailing the partner: a message left in
    # the outbox would be delivered by the outbox's benchmark and counted with its own.
    token = secrets.token_urlsafe(links.TOKEN_BYTES)
    link.token_hash = links.token_hash(token)
    link.save()
    link.applications.set(chosen)
    session = SessionStore()
    until = min(link.expires_at, now + links.SESSION_LIFETIME)
    session[SESSION_KEY] = {str(link.pk): [link.token_hash[:16], until.isoformat()]}
    session.create()
    return token, str(session.session_key)
