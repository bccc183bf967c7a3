"""Shortlist exports: the rows of a shortlist, and its XLSX and ZIP files.

Rows come from ``shortlist_rows`` (a header, then one row per application, read
in chunks as plain values, the snapshots' keys read by the database); the shared
writers (``core.exports``) never hold all rows: CSV is streamed, XLSX and ZIP are
written to an anonymous temporary file, and they neutralise formula-like cells.

An export of one mission ends with a column per question of that mission
(``QuestionColumns``), filled from the answers frozen with each application; an export
of several missions has none, since their questions differ.
"""

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import IO, Any, TypeVar

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from applications.models import (
    Answer,
    Application,
    ApplicationDocument,
    ApplicationQuerySet,
    Stage,
)
from core.exports import Cell, xlsx_tempfile, xlsx_write
from missions.eligibility import Severity, age_on, render_message
from missions.models import (
    Mission,
    Question,
    QuestionKind,
    mission_questions,
    questions_prefetch,
)
from volunteers.models import LANGUAGE_CHOICES, CefrLevel, EducationLevel

K = TypeVar("K")
# Rows fetched per round trip of the server-side cursor.
CHUNK_ROWS = 2000
# Width of each column in the XLSX, in characters, in the order of ``header``.
WIDTHS = (14, 18, 16, 30, 18, 24, 20, 10, 30, 10, 24, 14, 12, 10, 40, 50)
# Width of each question's column in the XLSX.
QUESTION_WIDTH = 24


def header() -> list[str]:
    return [
        _("Référence"),
        _("Nom"),
        _("Prénom"),
        _("E-mail"),
        _("Téléphone"),
        _("Nationalités"),
        _("Pays de résidence"),
        _("Âge au début de la mission"),
        _("Formation"),
        _("Années d'expérience"),
        _("Langues"),
        _("Étape"),
        _("Envoyée le"),
        _("Note moyenne"),
        _("Remarques d'éligibilité"),
        _("Lien dans l'administration"),
    ]


# Each profile key the export shows, read by the database as text: the snapshots are never
# loaded and parsed whole in Python (that was most of an export's time).
PROFILE_KEYS = (
    "last_name", "first_name", "email", "phone", "nationalities", "residence", "birth_date",
    "education_level", "education_field", "experience_years", "languages",
)  # fmt: skip
# Distinct values remembered per export; past this many the memo starts again (flat memory).
MEMO_LIMIT = 10_000


class JSONText(KeyTextTransform):
    """A snapshot key as text (PostgreSQL's ``->>``), a JSON null as None on every backend.

    On SQLite, Django reads a JSON null as the text "null"; JSON_EXTRACT reads it as NULL (and a
    number as a number, which ``number`` accepts too). SQLite serves development and tests.
    """

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, params, keys = self.preprocess_lhs(compiler, connection)
        path = "$" + "".join(f".{json.dumps(key)}" for key in keys)
        return f"JSON_EXTRACT({lhs}, %s)", (*params, path)


def shortlist_values(queryset: ApplicationQuerySet) -> "QuerySet[Application, tuple[Any, ...]]":
    """The columns the rows need, in reference order; the database reads the snapshots' keys
    and the local date of sending, so that no JSON is parsed per row in Python."""
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return (
        queryset.with_average_score()
        .order_by("reference")
        .values_list(
            "pk", "reference", "stage", TruncDate("submitted_at", tzinfo=local),
            "mission__start_date", "avg_score",
            *(JSONText(key, "profile") for key in PROFILE_KEYS),
            JSONText("findings", "eligibility"),
        )
    )  # fmt: skip


def shortlist_rows(
    queryset: ApplicationQuerySet, *, mission: Mission | None = None
) -> Iterator[list[Cell]]:
    """The header, then one row per application, read in chunks as plain values (no models);
    with ``mission`` (the one mission exported), a column per question it asks."""
    return answered_rows(queryset, QuestionColumns(mission))


def answered_rows(
    queryset: ApplicationQuerySet, columns: "QuestionColumns"
) -> Iterator[list[Cell]]:
    yield [*header(), *columns.header()]
    row = RowMaker()
    records = shortlist_values(queryset).iterator(chunk_size=CHUNK_ROWS)
    if not columns.questions:
        for record in records:
            yield row(*record)
        return
    # The answers of each chunk of rows in one query, as a prefetch would read them.
    while chunk := list(islice(records, CHUNK_ROWS)):
        answers = columns.cells([record[0] for record in chunk])
        for record in chunk:
            yield [*row(*record), *answers.get(record[0], columns.empty)]


class Memo(dict[K, str]):
    """Each distinct value's cell, made once per export; cleared past ``MEMO_LIMIT`` entries."""

    def __init__(self, make: Callable[[K], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: K) -> str:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        value = self[key] = self.make(key)
        return value


class RowMaker:
    """Turns one application's values into a row; labels and names are looked up once.

    Lists and objects (nationalities, languages, findings) arrive as JSON text; each distinct
    text becomes its cell once per export, so most rows cost dictionary look-ups only.
    """

    def __init__(self) -> None:
        self.stages = {value: str(label) for value, label in Stage.choices}
        self.education_labels = {value: str(label) for value, label in EducationLevel.choices}
        self.countries = Memo[str | None](lambda code: str(countries.name(code)) if code else "")
        self.nationalities = Memo[str | None](self.nationality_names)
        self.languages = Memo[str | None](language_list)
        self.educations = Memo[tuple[str | None, str | None]](self.education)
        self.notes = Memo[str | None](eligibility_notes)
        # One reverse() for the whole export: the admin address around the id.
        prefix, suffix = reverse("admin:applications_application_change", args=[0]).split("/0/")
        self.admin_prefix, self.admin_suffix = f"{settings.SITE_URL}{prefix}/", f"/{suffix}"

    def __call__(self, pk: int, reference: str, stage: str, submitted_on: dt.date | None,
                 start: dt.date, score: Decimal | None, last_name: str | None,
                 first_name: str | None, email: str | None, phone: str | None,
                 nationalities: str | None, residence: str | None, birth: str | None,
                 level: str | None, field: str | None, experience: str | int | None,
                 languages: str | None, findings: str | None) -> list[Cell]:  # fmt: skip
        return [
            reference,
            last_name,
            first_name,
            email,
            phone,
            self.nationalities[nationalities],
            self.countries[residence],
            age_on(dt.date.fromisoformat(birth), start) if birth else None,
            self.educations[level, field],
            number(experience),
            self.languages[languages],
            self.stages.get(stage, stage),
            submitted_on,
            round(float(score), 2) if score is not None else None,
            self.notes[findings],
            f"{self.admin_prefix}{pk}{self.admin_suffix}",
        ]

    def nationality_names(self, codes: str | None) -> str:
        return ", ".join(self.countries[code] for code in json.loads(codes)) if codes else ""

    def education(self, key: tuple[str | None, str | None]) -> str:
        level, field = key
        return " – ".join(part for part in (self.education_labels.get(level or ""), field) if part)


class QuestionColumns:
    """The questions of the mission exported, as columns headed by their labels in the
    export's language, and each application's frozen answers as cells: a number as a
    number, a date as a date, a language as "wolof (B1)", anything else as its text (a
    choice's label, yes or no, the choices joined by "; ", a country, a file's name)."""

    def __init__(self, mission: Mission | None) -> None:
        self.language = "en" if (get_language() or "").startswith("en") else "fr"
        if mission is not None:
            prefetch_related_objects([mission], questions_prefetch())
        self.questions = mission_questions(mission) if mission is not None else []
        self.columns = version_columns(self.questions)
        self.empty: list[Cell] = [None] * len(self.questions)
        self.language_names = {code: str(name) for code, name in LANGUAGE_CHOICES}

    def header(self) -> list[str]:
        return [question.label(self.language) for question in self.questions]

    def widths(self) -> tuple[int, ...]:
        return (*WIDTHS, *(QUESTION_WIDTH,) * len(self.questions))

    def cells(self, application_ids: Sequence[int]) -> dict[int, list[Cell]]:
        """The answer cells of these applications, by application, in one query."""
        rows: dict[int, list[Cell]] = {}
        answers = Answer.objects.filter(
            application_id__in=application_ids, question_id__in=list(self.columns)
        ).values_list("application_id", "question_id", "kind", "value", "text_fr", "text_en")
        for application_id, question_id, kind, value, text_fr, text_en in answers:
            text = text_en if self.language == "en" and text_en else text_fr
            row = rows.setdefault(application_id, list(self.empty))
            row[self.columns[question_id]] = self.cell(kind, value, text)
        return rows

    def cell(self, kind: str, value: Any, text: str) -> Cell:
        if kind == QuestionKind.NUMBER and type(value) in (int, float):
            return value  # type: ignore[no-any-return]
        if kind == QuestionKind.DATE and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return text
        if kind == QuestionKind.LANGUAGE and isinstance(value, dict):
            code, level = value.get("language", ""), value.get("level", "")
            level = str(CefrLevel.NATIVE.label) if level == CefrLevel.NATIVE else level
            return f"{self.language_names.get(code, code)} ({level})"
        return text or None


def version_columns(questions: Sequence[Question]) -> dict[int, int]:
    """Each question's column, by the id of the question and of its earlier versions (an
    answer sent before a question was edited belongs to the earlier version): one query per
    generation of edits, none when no question was ever edited."""
    columns = {question.pk: index for index, question in enumerate(questions)}
    earlier = {q.previous_id: i for i, q in enumerate(questions) if q.previous_id is not None}
    while earlier:
        columns.update(earlier)
        parents = Question.objects.filter(pk__in=list(earlier), previous__isnull=False)
        earlier = {
            previous: earlier[pk]
            for pk, previous in parents.values_list("pk", "previous_id")
            if previous not in columns
        }
    return columns


def language_list(levels: str | None) -> str:
    pairs = sorted(json.loads(levels).items()) if levels else []
    return ", ".join(f"{code} {level}" for code, level in pairs)


def eligibility_notes(findings: str | None) -> str:
    notes = (
        render_message(finding["code"], finding["params"])
        for finding in (json.loads(findings) if findings else [])
        if finding["severity"] == Severity.NOTE
    )
    return " ; ".join(notes)


def number(value: str | int | float | None) -> int | float | str | None:
    """A JSON number read as text (PostgreSQL's ``->>``) as a number again, for the XLSX."""
    if not isinstance(value, str):
        return value
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def xlsx_file(
    queryset: ApplicationQuerySet, *, title: str, mission: Mission | None = None
) -> IO[bytes]:
    """The shortlist's XLSX in an anonymous temporary file, rewound, deleted when closed."""
    columns = QuestionColumns(mission)
    return xlsx_tempfile(answered_rows(queryset, columns), title=title, widths=columns.widths())


def zip_file(
    queryset: ApplicationQuerySet, *, title: str, mission: Mission | None = None
) -> IO[bytes]:
    """Each candidate's CV, letter and supporting files, plus the XLSX, in a temporary ZIP."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- handed to FileResponse, which closes it
    documents = (
        ApplicationDocument.objects.filter(application__in=queryset)
        .select_related("application", "answer")
        .order_by("application__reference", "application_id", "kind", "answer__position", "pk")
    )
    language = "en" if (get_language() or "").startswith("en") else "fr"
    names: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents.iterator(chunk_size=500):
            with (
                document.file.open("rb") as source,
                archive.open(unique(archive_name(document, language), names), "w") as entry,
            ):
                shutil.copyfileobj(source, entry, 1024 * 1024)
        with archive.open(f"{title}.xlsx", "w") as entry, tempfile.TemporaryFile() as sheet:
            columns = QuestionColumns(mission)
            xlsx_write(
                answered_rows(queryset, columns), sheet, title=title, widths=columns.widths()
            )
            sheet.seek(0)
            shutil.copyfileobj(sheet, entry, 1024 * 1024)
    target.seek(0)
    return target


def archive_name(document: ApplicationDocument, language: str = "fr") -> str:
    """<reference>_<LASTNAME>_<Firstname>_CV.pdf, in plain characters; a supporting file is
    named after its question and its own name: ..._<Question>_<original name>.pdf."""
    profile = document.application.profile or {}
    if document.kind == ApplicationDocument.Kind.SUPPORTING:
        answer = getattr(document, "answer", None)
        label = (
            answer.label(language)
            if answer is not None
            else str(ApplicationDocument.Kind.SUPPORTING.label)
        )
        stem = document.original_name.rsplit(".", 1)[0]
        kind = "_".join(part for part in (plain(label), plain(stem)) if part)
    else:
        kind = "CV" if document.kind == ApplicationDocument.Kind.CV else "Lettre"
    parts = [
        document.application.reference or str(document.application.pk),
        plain(profile.get("last_name", "")).upper(),
        plain(profile.get("first_name", "")).title(),
        kind,
    ]
    return "_".join(part for part in parts if part) + document.extension


def unique(name: str, taken: set[str]) -> str:
    """The name, or with "-2", "-3"… before its extension if the archive has it already (two
    questions whose labels read the same in plain characters)."""
    stem, extension = os.path.splitext(name)
    candidate, count = name, 1
    while candidate in taken:
        count += 1
        candidate = f"{stem}-{count}{extension}"
    taken.add(candidate)
    return candidate


def plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:40]


def export_filename(*, mission_reference: str | None, extension: str, today: dt.date) -> str:
    stem = f"candidatures_{mission_reference}" if mission_reference else "candidatures"
    return f"{stem}_{today.isoformat()}.{extension}"
