from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_export_log")]

    # Recruitment managers may now export and read the export log.
    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
