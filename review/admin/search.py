"""The applications list's search, fast on a million applications, with Django's results.

Django's admin search ORs ``icontains`` over the reference and, through two joins, the
candidate's names and e-mail address: PostgreSQL then reads the list in order, joining each
row, until it has a page. A word most candidates share fills a page at once; a rare one (a
reference, a surname) had it read every row (15 s). Here one query first looks up, through
trigram indexes (applications migration 0016), the candidates whose names or address contain
each word and the applications whose text answers contain the term, up to ``FEW`` of each:
when there are no more, the list is filtered on those keys (an index probe each, with the
reference's own index); a word shared by more candidates is matched by subqueries, each
read once (no join per row), and the list is then dense in matches.
"""

from typing import Any

from django.db.models import Q, QuerySet, Value
from django.utils.text import smart_split, unescape_string_literal

from applications.models import Answer, Application
from review.admin.answers import TEXT_KINDS, text_answer_matches
from volunteers.models import User, Volunteer

# Up to this many candidates (or answering applications) are looked up and filtered on by key.
FEW = 2000


def words(term: str) -> list[str]:
    """The term's words as Django's admin splits them (a quoted phrase is one word)."""
    found = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            found.append(bit)
    return found


def search(queryset: QuerySet[Application], term: str) -> QuerySet[Application]:
    """The applications with every word in their reference or their candidate's names or
    e-mail address, or with the whole term in a text answer (Django's admin search, and the
    answers), in one lookup query then the list's own."""
    term = term.strip()
    if not term:
        return queryset
    bits = words(term)
    found = lookup(bits, term)
    matches = Q()
    for index, word in enumerate(bits):
        candidates = found.get(index)
        if candidates is None:  # too many to list: subqueries, hashed once, no join per row
            people = Q(volunteer_id__in=named(word)) | Q(
                volunteer_id__in=Volunteer.objects.filter(user__in=addressed(word)).values("pk")
            )
        else:
            people = Q(volunteer_id__in=candidates)
        matches &= Q(reference__icontains=word) | people
    answered = found.get(-1)
    answers = Q(text_answer_matches(term)) if answered is None else Q(pk__in=answered)
    return queryset.filter(matches | answers)


def lookup(bits: list[str], term: str) -> dict[int, list[int]]:
    """The candidates matching each word (by its index) and the applications whose text
    answers contain the term (-1), in one query; a key is missing when there are more than
    ``FEW``."""
    parts: list[QuerySet[Any, tuple[int, int]]] = []
    for index, word in enumerate(bits):
        parts.append(tagged(named(word), index))
        parts.append(tagged(Volunteer.objects.filter(user__in=addressed(word)), index))
    answers = Answer.objects.filter(kind__in=TEXT_KINDS).filter(
        Q(text_fr__icontains=term) | Q(text_en__icontains=term)
    )
    parts.append(
        answers.order_by().annotate(tag=Value(-1)).values_list("tag", "application_id")[: FEW + 1]
    )
    first, *rest = parts
    rows = first.union(*rest, all=True) if rest else first
    found: dict[int, list[int]] = {index: [] for index in [*range(len(bits)), -1]}
    for tag, key in rows:
        found[tag].append(key)
    return {tag: keys for tag, keys in found.items() if len(keys) <= FEW}


def tagged(volunteers: QuerySet[Volunteer], tag: int) -> QuerySet[Any, tuple[int, int]]:
    return volunteers.order_by().annotate(tag=Value(tag)).values_list("tag", "pk")[: FEW + 1]


def named(word: str) -> QuerySet[Any, Any]:
    """The candidates with the word in a name (each name has its trigram index)."""
    names = Q(last_name__icontains=word) | Q(first_name__icontains=word)
    return Volunteer.objects.filter(names).values("pk")


def addressed(word: str) -> QuerySet[Any, Any]:
    """The accounts with the word in their e-mail address."""
    return User.objects.filter(email__icontains=word).values("pk")
