"""What other apps erase with an account (``applications.privacy.account_erase``).

An app that keeps data about a person by their account or address (``alerts``: their alerts;
``talent``: their search profile) registers a function here from its AppConfig.ready(); each
is called in the erasure's transaction, before the address changes.
"""

from collections.abc import Callable

from volunteers.models import User

ACCOUNT_ERASERS: list[Callable[[User], object]] = []
