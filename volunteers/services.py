from volunteers.models import User


def demo_staff_ensure(*, email: str, password: str) -> bool:
    """Create the development demo superuser if missing; True if it was created."""
    if User.objects.filter(email=email).exists():
        return False
    User.objects.create_superuser(email=email, password=password, first_name="Démo")
    return True
