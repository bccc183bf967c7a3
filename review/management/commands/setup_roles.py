from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from review.roles import ROLES, roles_setup


class Command(BaseCommand):
    help = "Create or update the staff groups (Reviewers, Recruitment managers, Coordinators)."

    def handle(self, *args: Any, **options: Any) -> None:
        roles_setup(Group, Permission)
        self.stdout.write(f"Roles up to date: {', '.join(ROLES)}.")
