from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser


def email_verified(user: AbstractBaseUser) -> bool:
    """Whether the account's address was verified (a code or link received by e-mail)."""
    return EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
