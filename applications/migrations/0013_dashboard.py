"""When each application entered its stage, and the dashboard's counts of what happened before
it existed, rebuilt from the applications and their history (page views and eligibility
checks were never recorded: they start at zero)."""

from collections import Counter

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone


def day(at):
    return timezone.localtime(at, timezone.get_default_timezone()).date()


def backfill(apps, schema_editor):
    application_model = apps.get_model("applications", "Application")
    change_model = apps.get_model("applications", "StageChange")
    latest = change_model.objects.filter(application=OuterRef("pk")).order_by("-at", "-pk")
    application_model.objects.update(
        stage_since=Coalesce(Subquery(latest.values("at")[:1]), "created_at")
    )
    tallies, times = Counter(), Counter()
    fields = ("mission_id", "created_at", "submitted_at", "source", "profile")
    for row in application_model.objects.values(*fields).iterator(chunk_size=2000):
        mission = row["mission_id"]
        tallies[mission, day(row["created_at"]), "draft", ""] += 1
        if row["submitted_at"] is None:
            continue
        submitted = day(row["submitted_at"])
        tallies[mission, submitted, "submitted", ""] += 1
        tallies[mission, submitted, "source", row["source"] or "catalogue"] += 1
        profile = row["profile"] or {}
        if profile.get("residence"):
            tallies[mission, submitted, "residence", profile["residence"]] += 1
        for code in profile.get("nationalities") or []:
            tallies[mission, submitted, "nationality", code] += 1
    changes = change_model.objects.order_by("application_id", "at", "pk").values(
        "application_id", "application__mission_id", "application__created_at",
        "from_stage", "to_stage", "at",
    )  # fmt: skip
    current, since, reached = None, None, set()
    for change in changes.iterator(chunk_size=2000):
        if change["application_id"] != current:
            current, since, reached = change["application_id"], None, set()
            since = change["application__created_at"]
        mission, stage = change["application__mission_id"], change["to_stage"]
        times[mission, day(change["at"]), change["from_stage"] or "draft",
              max((change["at"] - since).days, 0)] += 1  # fmt: skip
        since = change["at"]
        if stage != "submitted" and stage not in reached:
            reached.add(stage)
            tallies[mission, day(change["at"]), "reached", stage] += 1
    tally_model = apps.get_model("missions", "Tally")
    tally_model.objects.bulk_create(
        (tally_model(mission_id=m, day=d, event=e, detail=x, count=n)
         for (m, d, e, x), n in tallies.items()),
        batch_size=1000,
    )  # fmt: skip
    time_model = apps.get_model("missions", "StageTime")
    time_model.objects.bulk_create(
        (time_model(mission_id=m, day=d, stage=s, days=x, count=n)
         for (m, d, s, x), n in times.items()),
        batch_size=1000,
    )  # fmt: skip


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0012_document_text'),
        ('missions', '0011_dashboard'),
        ('volunteers', '0006_volunteer_cv_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='stage_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='dans cette étape depuis'),
        ),
        migrations.AddField(
            model_name='historicalapplication',
            name='stage_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='dans cette étape depuis'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(condition=models.Q(('stage__in', ['submitted', 'in_review', 'shortlisted', 'interview'])), fields=['stage_since'], name='application_waiting'),
        ),
    ]
