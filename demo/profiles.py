"""The benchmark's talent pool: profiles with a CV's text, searched by bench/search_bench.py.

Fast: bulk inserts, then one UPDATE building every search vector in PostgreSQL.
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from talent.index import vector
from talent.models import SearchProfile
from volunteers.models import TextState, User, Volunteer, VolunteerLanguage

DOMAIN = "@pool.bench.example.org"
# Words of the trade, accented or not, French and English, commonest first (see vocabulary).
WORDS = [
    "gestion",
    "projet",
    "développement",
    "formation",
    "partenaires",
    "suivi",
    "évaluation",
    "budget",
    "réseau",
    "communication",
    "animation",
    "économie",
    "sociale",
    "solidaire",
    "local",
    "éducation",
    "santé",
    "agriculture",
    "élevage",
    "coopérative",
    "environnement",
    "volunteers",
    "management",
    "partnership",
    "emploi",
    "jeunesse",
    "insertion",
    "culture",
    "tourisme",
    "commerce",
    "équitable",
    "artisanat",
    "eau",
    "assainissement",
    "énergie",
    "nutrition",
    "sécurité",
    "alimentaire",
    "pêche",
    "forêt",
    "plaidoyer",
    "genre",
    "comptabilité",
    "microfinance",
    "maraîchage",
    "apiculture",
    "entrepreneuriat",
    "fundraising",
    "monitoring",
    "cooperative",
    "farming",
    "livestock",
    "français",
    "anglais",
    "espagnol",
    "wolof",
    "bambara",
    "créole",
    "malgache",
    "khmer",
]
FIELDS = ["Agronomie", "Économie", "Sciences politiques", "Gestion de projet", "Santé publique"]
CITIES = ["Lyon", "Paris", "Dakar", "Lomé", "Montréal", "Bruxelles", "Genève", "Cotonou"]
LEVELS = ["B1", "B2", "C1", "C2", "native"]


def made_up_words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ba", "ri", "to", "mé", "lu", "ka", "zo", "pi", "ne", "sa", "dou", "lé", "mi"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words and their cumulated weights, by Zipf's law as in real texts: the trade's words
    spread from the commonest ("gestion", in most CVs) to the rare (a few in a hundred)."""
    words = made_up_words(rng, 5000)
    for n, word in enumerate(WORDS):
        words.insert(5 + n * 25, word)
    cumulated, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulated.append(total)
    return words, cumulated


def cv_text(rng: random.Random, words: tuple[list[str], list[float]]) -> str:
    population, cumulated = words
    sentences = []
    for _ in range(rng.randint(15, 30)):
        chosen = rng.choices(population, cum_weights=cumulated, k=rng.randint(6, 14))
        sentences.append(" ".join(chosen).capitalize() + ".")
    return " ".join(sentences)


def profiles_clear() -> None:
    """Remove the benchmark's pool, table by table (Django's cascades would load every row)."""
    users = "SELECT id FROM volunteers_user WHERE email LIKE %s"
    volunteers = f"SELECT id FROM volunteers_volunteer WHERE user_id IN ({users})"  # noqa: S608 -- fixed SQL
    with connection.cursor() as cursor:
        for table, column, subquery in (
            ("talent_searchprofile", "volunteer_id", volunteers),
            ("volunteers_volunteerlanguage", "volunteer_id", volunteers),
            ("volunteers_volunteer", "user_id", users),
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({subquery})",  # noqa: S608 -- ours
                [f"%{DOMAIN}"],
            )
        cursor.execute("DELETE FROM volunteers_user WHERE email LIKE %s", [f"%{DOMAIN}"])


def profiles_seed(*, count: int, batch: int, rng: random.Random) -> None:
    """``count`` volunteers with a CV's text and languages, most in the pool, all searchable."""
    words = vocabulary(rng)
    now = timezone.now()
    for start in range(0, count, batch):
        size = min(batch, count - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"p{start + k}{DOMAIN}", password="!")  # noqa: S106 -- unusable
                for k in range(size)
            )
            volunteers = Volunteer.objects.bulk_create(
                profile(user, rng, words, now) for user in users
            )
            VolunteerLanguage.objects.bulk_create(
                VolunteerLanguage(volunteer=v, language=code, level=rng.choice(LEVELS))
                for v in volunteers
                for code in ("fr", rng.choice(["en", "es", "wo", "pt"]))
            )
            SearchProfile.objects.bulk_create(
                SearchProfile(
                    volunteer=v,
                    applied=v.pool_since is None,
                    profile_text=f"{v.first_name}\n{v.last_name}\n{v.city}\n{v.education_field}",
                    documents_text=v.cv_text,
                    refreshed_at=now,
                )
                for v in volunteers
            )
    if connection.vendor == "postgresql":
        SearchProfile.objects.filter(volunteer__user__email__endswith=DOMAIN).update(
            vector=vector()
        )


def profile(
    user: User, rng: random.Random, words: tuple[list[str], list[float]], now: dt.datetime
) -> Volunteer:
    return Volunteer(
        user=user,
        first_name=rng.choice(["Awa", "Moussa", "Léa", "Koffi", "Inès", "Ruth", "Éloïse"]),
        last_name=rng.choice(["Ndiaye", "Diallo", "Martin", "Traoré", "Mensah", "Dubois"]),
        birth_date=dt.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationalities=rng.choice(["FR", "BE", "SN", "TG", "CA"]),
        residence="FR",
        city=rng.choice(CITIES),
        phone="+33612345678",
        education_level="bac5",
        education_field=rng.choice(FIELDS),
        experience_years=rng.randint(0, 12),
        pool_since=now - dt.timedelta(days=rng.randint(1, 600)) if rng.random() < 0.6 else None,
        cv_text=cv_text(rng, words),
        cv_text_state=TextState.DONE,
    )
