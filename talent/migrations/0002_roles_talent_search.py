from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0001_initial"),
        ("selection", "0002_roles_partner_links"),
    ]

    # Reviewers and recruitment managers search the pool; managers invite to apply.
    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
