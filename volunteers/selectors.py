from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef


def email_verified(user: AbstractBaseUser) -> bool:
    """Whether the account's address was verified (a code or link received by e-mail)."""
    return bool(EmailAddress.objects.filter(user_id=user.pk, verified=True).exists())


def email_verified_exists() -> Exists:
    """``email_verified`` as a subquery, to annotate rows that have a ``user``."""
    return Exists(EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True))
