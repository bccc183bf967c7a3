"""The search profile: one row per volunteer with the words staff search reads (profile,
answers, documents' texts) and its vector, rebuilt whole by ``search_profile_refresh``."""

import datetime as dt
import operator
import re
from functools import reduce

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Expression, Q
from django.utils import timezone

from applications.models import Answer, Application, ApplicationDocument, Stage
from core.countries import country_name
from talent.extraction import SEARCHED_KINDS
from talent.models import SearchProfile
from volunteers.models import User, Volunteer

# The most text kept of one volunteer: every document's text is already capped, but a
# candidate may send many applications.
PROFILE_LIMIT = 400_000
CONFIGURATIONS = ("fr_unaccent", "en_unaccent")
FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "un",
        "une",
        "est",
        "dans",
        "pour",
        "avec",
        "sur",
        "au",
        "aux",
        "que",
        "qui",
    ]
)
ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "a",
        "an",
        "in",
        "to",
        "for",
        "with",
        "on",
        "is",
        "at",
        "as",
        "by",
        "from",
        "that",
        "which",
    ]
)


def profile_words(volunteer: Volunteer) -> str:
    countries = {*volunteer.nationalities, volunteer.residence, *volunteer.regular_residences}
    names = sorted(country_name(c.code, "fr") for c in countries if c and c.code)
    parts = [volunteer.first_name, volunteer.last_name, volunteer.city, volunteer.education_field]
    return "\n".join(part for part in [*parts, *names] if part)


def clean(text: str) -> str:
    """Capped, without the characters that mark the words found in extracts (talent.search)."""
    return text[:PROFILE_LIMIT].replace("\ue000", "").replace("\ue001", "")


def documents_config(text: str) -> str:
    """The documents' language, by their commonest words: each is stemmed once, in its own
    language (both would double the vector, and the time to rank it)."""
    words = re.findall(r"[a-z]+", text[:20_000].lower())
    english = sum(word in ENGLISH for word in words)
    french = sum(word in FRENCH for word in words)
    return "en_unaccent" if english > french else "fr_unaccent"


def vector(documents: str = "fr_unaccent") -> Expression:
    """The profile and answers stemmed in French and in English, the documents in their own
    language; weighted: profile A, answers B, documents C."""
    parts = [
        SearchVector(field, config=config, weight=weight)
        for field, weight in (("profile_text", "A"), ("answers_text", "B"))
        for config in CONFIGURATIONS
    ]
    return reduce(operator.add, parts) + SearchVector(
        "documents_text", config=documents, weight="C"
    )


@transaction.atomic
def search_profile_refresh(*, volunteer_id: int, now: dt.datetime) -> SearchProfile | None:
    """Rebuild a volunteer's search profile (safe to run twice); an erased account has none."""
    # The volunteer's row locked first: two refreshes take turns, and an erasure (which
    # updates that row) either waits for this one or is seen by the check that follows.
    volunteer = Volunteer.objects.select_for_update().filter(pk=volunteer_id).first()
    if volunteer is None or not User.objects.filter(pk=volunteer.user_id, is_active=True).exists():
        SearchProfile.objects.filter(volunteer_id=volunteer_id).delete()
        return None
    sent = Application.objects.filter(volunteer=volunteer).exclude(stage=Stage.DRAFT)
    if volunteer.pool_since is None and not sent.exists():
        # Neither a past applicant nor in the pool: nothing of them is kept for the search.
        SearchProfile.objects.filter(volunteer_id=volunteer_id).delete()
        return None
    answers = Answer.objects.filter(application__in=sent).values_list("text_fr", flat=True)
    motivations = sent.exclude(motivation="").values_list("motivation", flat=True)
    documents = ApplicationDocument.objects.filter(
        application__in=sent, kind__in=SEARCHED_KINDS
    ).exclude(text="")
    texts = [volunteer.cv_text, *documents.values_list("text", flat=True)]
    profile, _created = SearchProfile.objects.update_or_create(
        volunteer=volunteer,
        defaults={
            "applied": sent.exists(),
            "profile_text": clean(profile_words(volunteer)),
            "answers_text": clean("\n".join([*motivations, *answers])),
            "documents_text": clean("\n\n".join(t for t in dict.fromkeys(texts) if t)),
            "refreshed_at": now,
        },
    )
    if connection.vendor == "postgresql":
        config = documents_config(profile.documents_text)
        SearchProfile.objects.filter(pk=profile.pk).update(vector=vector(config))
    return profile


def volunteer_refresh(volunteer_id: int) -> None:
    """applications.services.DELETED: rebuilt in the deleting transaction, so what the
    application said leaves the search at once."""
    search_profile_refresh(volunteer_id=volunteer_id, now=timezone.now())


def search_profile_erase(user: User) -> None:
    """Gone from staff search at once, in the erasure's transaction (applications.privacy)."""
    SearchProfile.objects.filter(Q(volunteer__user=user)).delete()
