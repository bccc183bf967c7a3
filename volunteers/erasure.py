"""What other apps erase with an account (``applications.privacy.account_erase``), and what
they add to the candidate's copy of their data (``personal_data_archive``).

An app that keeps data about a person by their account or address (``alerts``: their alerts;
``talent``: their search profile) registers a function here from its AppConfig.ready(); each
is called in the erasure's transaction, before the address changes.
"""

from collections.abc import Callable
from typing import Any

from volunteers.models import User

ACCOUNT_ERASERS: list[Callable[[User], object]] = []
# Parts of the data copy kept by other apps (selection: which partners saw the file; alerts:
# the person's alerts; talent: the invitations received): file name -> function of the user
# giving its data.
ARCHIVE_SECTIONS: dict[str, Callable[[User], Any]] = {}
