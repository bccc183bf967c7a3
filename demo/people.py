"""The demo's people besides its candidates: two staff members who review and move the sample
applications, and the coordinator of one sample mission.

Everyone the demo creates has an address on ``DOMAIN`` (reserved: it can receive no mail),
which is how ``demo --reset`` finds what the demo made and nothing else.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from applications.models import SHORTLIST_STAGES, ExportLog
from coordination.selectors import shortlist
from coordination.services import export_log
from missions.models import Mission
from review.roles import COORDINATORS, MANAGERS, REVIEWERS
from volunteers.models import User
from volunteers.services import demo_account_ensure

DOMAIN = "demo.volontiers.invalid"
# The coordinated mission: its shortlist has a selected, an interview and a shortlisted
# candidate (demo/data/candidates.json).
COORDINATED_MISSION = "3S1329"


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    group: str
    is_staff: bool


MANAGER = Person(f"claire.moreau@{DOMAIN}", "Claire", "Moreau", MANAGERS, True)
REVIEWER = Person(f"julien.petit@{DOMAIN}", "Julien", "Petit", REVIEWERS, True)
COORDINATOR = Person(f"coordination@{DOMAIN}", "Jeanne", "Molisa", COORDINATORS, False)


def demo_addresses() -> list[str]:
    """Every address the demo created (none of anyone else: the domain is the demo's)."""
    return list(User.objects.filter(email__iendswith=f"@{DOMAIN}").values_list("email", flat=True))


def person_ensure(person: Person) -> tuple[User, bool]:
    """The person's account, in their role's group; True if created now."""
    user, created = demo_account_ensure(
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=person.is_staff,
    )
    # The roles come from a migration; a test database flushed between tests has lost them.
    group, _created = Group.objects.get_or_create(name=person.group)
    user.groups.add(group)  # no change if already a member
    return user, created


def staff_ensure() -> dict[str, User]:
    """The staff who act in the candidates' stories, by the name the stories give them."""
    return {"manager": person_ensure(MANAGER)[0], "reviewer": person_ensure(REVIEWER)[0]}


def coordinator_ensure() -> tuple[User, bool]:
    """The coordinator of COORDINATED_MISSION; a new one has exported its shortlist twice."""
    user, created = person_ensure(COORDINATOR)
    mission = Mission.objects.get(reference=COORDINATED_MISSION)
    mission.coordinators.add(user)  # no change if already named
    if created:
        rows = shortlist(mission, list(SHORTLIST_STAGES)).count()
        for export_format in (ExportLog.Format.XLSX, ExportLog.Format.CSV_SEMICOLON):
            export_log(user=user, mission=mission, export_format=export_format, rows=rows)
    return user, created
