from django.db import migrations

# A starting list; staff edit it in the admin (Motifs de refus).
REASONS = [
    (
        "Expérience insuffisante pour la mission",
        "La mission demande une expérience plus longue que la vôtre dans ce domaine.",
        "The mission asks for more experience in this field than you have.",
    ),
    (
        "Compétences éloignées du profil recherché",
        "D'autres profils correspondaient davantage aux compétences demandées.",
        "Other profiles matched the skills asked for more closely.",
    ),
    (
        "Niveau de langue insuffisant",
        "La mission demande un niveau de langue plus élevé que celui que vous avez indiqué.",
        "The mission asks for a higher language level than the one you stated.",
    ),
    (
        "Nombreuses candidatures, d'autres profils retenus",
        "Nous avons reçu de très nombreuses candidatures et avons retenu des profils plus proches "
        "des besoins de la mission.",
        "We received a great many applications and selected profiles closer to the mission's needs.",
    ),
]


def create_reasons(apps, schema_editor):
    RefusalReason = apps.get_model("applications", "RefusalReason")
    for order, (label, sentence_fr, sentence_en) in enumerate(REASONS):
        RefusalReason.objects.get_or_create(
            label=label,
            defaults={"sentence_fr": sentence_fr, "sentence_en": sentence_en, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_roles")]

    operations = [migrations.RunPython(create_reasons, migrations.RunPython.noop)]
