"""Invitations to apply: staff pick pool members in the search and a published mission;
each gets one e-mail, through the outbox, and nobody is invited twice to the same mission."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from missions.models import Mission
from notifications import outbox
from talent import emails
from talent.models import Invitation
from volunteers.models import User
from volunteers.pool import pool_members


class InvitationError(Exception):
    """The mission cannot be offered (not open to applications)."""


@dataclass(frozen=True)
class Invited:
    """How many were invited now, had been invited before, or are not in the pool."""

    sent: int
    already: int
    not_members: int


@transaction.atomic
def invitations_send(
    *, volunteer_ids: list[int], mission: Mission, by: User, now: dt.datetime
) -> Invited:
    """Invite pool members to apply to an open mission; each e-mail in the same transaction."""
    if not mission.is_open(now):
        raise InvitationError(mission.reference)
    wanted = set(volunteer_ids)
    members = list(
        pool_members(now=now)
        .filter(pk__in=wanted)
        .select_related("user")
        .select_for_update(of=("self",))  # one invitation per volunteer and mission, even racing
    )
    already = set(
        Invitation.objects.filter(mission=mission, volunteer__in=members).values_list(
            "volunteer_id", flat=True
        )
    )
    new = [
        Invitation(volunteer=volunteer, mission=mission, by=by, at=now)
        for volunteer in members
        if volunteer.pk not in already
    ]
    for invitation in Invitation.objects.bulk_create(new):
        outbox.enqueue(emails.invitation_sent(invitation))
    return Invited(sent=len(new), already=len(already), not_members=len(wanted) - len(members))


def invitations_of(user: User) -> list[dict[str, Any]]:
    """The invitations a person received, for their copy of their data."""
    received = Invitation.objects.filter(volunteer__user=user).select_related("mission")
    return [
        {"mission": f"{i.mission.reference} – {i.mission.title}", "at": i.at}
        for i in received.order_by("at")
    ]
