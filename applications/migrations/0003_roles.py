from django.db import migrations

from review.roles import roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_refusalreason_alter_application_options_and_more"),
        ("missions", "0005_mission_recruiters_mission_review_criteria"),
        ("notifications", "0002_outboxmessage_next_attempt_at_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_migration, migrations.RunPython.noop)]
