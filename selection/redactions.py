"""What a reader of a candidate's file does not see: a partner link's redactions, applied
alike to the partner's pages and to the dossier (``selection.dossier``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selection.models import PartnerLink


@dataclass(frozen=True)
class Redactions:
    birth_date: bool = False  # the date of birth and the age
    nationality: bool = False  # the nationalities and the country of residence
    contact: bool = False  # e-mail address, phone, postal address
    documents: bool = False  # the CV and the letter, and any text drawn from them

    @classmethod
    def of_link(cls, link: PartnerLink) -> Redactions:
        return cls(
            birth_date=link.hide_birth_date,
            nationality=link.hide_nationality,
            contact=link.hide_contact,
            documents=link.hide_documents,
        )


# Staff and coordinators see everything.
NONE = Redactions()
