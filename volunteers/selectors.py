from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from volunteers.models import User


def email_verified(user: AbstractBaseUser) -> bool:
    """Whether the account's address was verified (a code or link received by e-mail)."""
    return bool(EmailAddress.objects.filter(user_id=user.pk, verified=True).exists())


def email_verified_exists() -> Exists:
    """``email_verified`` as a subquery, to annotate rows that have a ``user``."""
    return Exists(EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True))


def staff_with_permission(app_label: str, codename: str) -> list[User]:
    """Active staff holding a permission, themselves or through a group (superusers too)."""
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    return list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
        .order_by("pk")
    )
