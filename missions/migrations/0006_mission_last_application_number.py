from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def counters_from_numbers(apps, schema_editor):
    """Each mission's counter starts at the highest number its applications hold."""
    Mission = apps.get_model("missions", "Mission")
    Application = apps.get_model("applications", "Application")
    highest = (
        Application.objects.filter(mission=OuterRef("pk"), number__isnull=False)
        .order_by("-number")
        .values("number")[:1]
    )
    Mission.objects.update(last_application_number=Coalesce(Subquery(highest), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0005_mission_recruiters_mission_review_criteria"),
        # The counters start from the applications' numbers (applications' first migration
        # depends on missions' first: no cycle).
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mission",
            name="last_application_number",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="numéro de la dernière candidature"
            ),
        ),
        migrations.RunPython(counters_from_numbers, migrations.RunPython.noop),
    ]
