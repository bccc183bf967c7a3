from django.contrib.auth.management import create_permissions
from django.db import migrations

from applications.roles import roles_setup


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_setup(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_refusalreason_alter_application_options_and_more"),
        ("missions", "0005_mission_recruiters_mission_review_criteria"),
        ("notifications", "0002_outboxmessage_next_attempt_at_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
