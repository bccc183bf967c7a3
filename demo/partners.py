"""Co-selection on the coordinated mission: a review link for a partner (on the demo's
domain), with the opinions it gave on the shortlist and the log of what it read.

Loading twice changes nothing: the link is made only for a mission that has none.
"""

import datetime as dt

from applications.models import SHORTLIST_STAGES, Application
from demo.people import DOMAIN
from missions.models import Mission
from selection import links
from selection.emails import link_url
from selection.models import PartnerAccess, PartnerLink
from volunteers.models import User

PARTNER = ("COMDEV Africa", "Kofi Mensah", f"kofi.mensah@{DOMAIN}")
# The partner's opinions, in turn, on the shortlisted candidates (by reference).
OPINIONS = (
    ("favourable", "Expérience de terrain solide ; à recevoir en entretien.", 4),
    ("reserved", "Bon profil, mais l'anglais reste à vérifier.", 3),
    ("unfavourable", "Peu d'expérience de la coopération décentralisée.", 2),
)


def partners_ensure(*, mission: Mission, manager: User, now: dt.datetime) -> int:
    """The mission's partner link, its opinions and accesses; returns the opinions made."""
    if mission.partner_links.exists():
        return 0
    organisation, person, email = PARTNER
    link = PartnerLink(
        mission=mission,
        organisation=organisation,
        person=person,
        email=email,
        expires_at=now + dt.timedelta(days=links.DEFAULT_DAYS),
        created_by=manager,
        allow_dossier=True,
    )
    links.link_create(link, [], now=now)
    shortlist = Application.objects.filter(mission=mission, stage__in=SHORTLIST_STAGES)
    made = 0
    for application, (verdict, comment, score) in zip(
        shortlist.order_by("pk")[: len(OPINIONS)], OPINIONS, strict=False
    ):
        links.logged(link, PartnerAccess.Action.VIEWED, now=now, application=application)
        scores = {"experience": score, "motivation": min(score + 1, 5)}
        links.opinion_save(link, application, links.OpinionInput(verdict, comment, scores), now=now)
        made += 1
    return made


def partner_link_url(mission: Mission, *, now: dt.datetime) -> str | None:
    """A fresh address of the demo partner's link (sent again: the old one stops working)."""
    link = mission.partner_links.filter(revoked_at__isnull=True, expires_at__gt=now).first()
    if link is None:
        return None
    return link_url(link, links.link_send(link, now=now))
