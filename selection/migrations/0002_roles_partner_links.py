from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0001_initial"),
        ("review", "0002_roles_interviews_and_training"),
    ]

    # Reviewers read partners' opinions and accesses; recruitment managers run the links.
    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
