from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("talent", "0002_roles_talent_search"),
    ]

    # Recruitment managers see the dashboard.
    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
