"""``demo --reset``: remove what the demo made and nothing else, that is the accounts on its
own domain and what they did or received: applications with their documents, history, audit
trail, reviews and notes, review requests, exports, partner links, e-mails, profiles and CVs.

The missions stay: ``demo`` loads them as published, and real applications may name them.
"""

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from applications.models import Application, ExportLog
from applications.services import application_delete
from missions.models import ReviewRequest
from notifications import outbox
from review.interviews import slot_seats_recount
from selection.models import PartnerLink
from volunteers.models import User, Volunteer


def people_remove(*, addresses: list[str]) -> dict[str, int]:
    """Remove these accounts and all they made; returns the counts of what went."""
    with transaction.atomic():
        users = User.objects.filter(email__in=addresses)
        applications = list(Application.objects.filter(volunteer__user__in=users))
        ids = [application.pk for application in applications]  # delete() forgets them
        for application in applications:
            application_delete(application=application)  # its files once this commits
        # The audit trail keeps rows of deleted applications: these go with them.
        Application.audit.filter(id__in=ids).delete()
        files_delete_on_commit(
            [e.file for e in ExportLog.objects.filter(user__in=users).exclude(file="")]
            + [v.cv for v in Volunteer.objects.filter(user__in=users).exclude(cv="")]
        )
        ExportLog.objects.filter(user__in=users).delete()
        ReviewRequest.objects.filter(Q(user__in=users) | Q(email__in=addresses)).delete()
        # The partner links the demo staff made, their opinions, log and e-mails.
        partner_links = PartnerLink.objects.filter(created_by__in=users)
        partners = list(partner_links.values_list("email", flat=True))
        partner_links.delete()
        messages = outbox.messages_delete(to=[*addresses, *partners])
        _total, deleted = users.delete()  # profiles, languages, addresses, memberships with them
        slot_seats_recount()  # the interviews booked by the candidates removed
    return {
        "accounts": deleted.get(User._meta.label, 0),
        "applications": len(ids),
        "messages": messages,
    }


def files_delete_on_commit(files: list[FieldFile]) -> None:
    """The files go once the rows naming them are gone for good."""
    for file in files:
        if file.name:
            transaction.on_commit(partial(file.storage.delete, file.name), robust=True)
