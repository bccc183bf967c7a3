"""Co-selection in the admin: the partner links (created here, sent through the outbox,
revoked, sent again, unlocked), each link's log and opinions; and, on the application page,
the partners' opinions beside staff reviews and who outside staff saw the file."""

from selection.admin import applications, links

__all__ = ["applications", "links"]
