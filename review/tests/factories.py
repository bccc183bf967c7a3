"""Review data built across the staff side's tests: a user in one of the roles."""

from django.contrib.auth.models import Group

from review.roles import COORDINATORS
from volunteers.models import User
from volunteers.tests.factories import UserFactory


def staff(group: str | None, email: str) -> User:
    user = UserFactory(email=email, is_staff=group != COORDINATORS)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user
