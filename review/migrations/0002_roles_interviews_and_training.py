from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_interviews_and_training"),
        ("applications", "0009_application_departed_at"),
    ]

    # Reviewers read the interview slots and the training; recruitment managers run them.
    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
