"""The sample candidates' documents: a CV and a letter as real PDF files, with their text.

A small writer of its own (Helvetica, A4, text only): what a word processor would export
in its essentials, readable by any PDF reader and by the upload checks (pypdf).
"""

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.utils import translation
from django_countries import countries

from core.pdf_file import pdf_file
from volunteers.models import LANGUAGE_CHOICES, CefrLevel, EducationLevel

PAGE = (595, 842)  # A4, in points
MARGIN = 64
LEADING = 15
WRAP = 88  # characters a line of 10.5 pt Helvetica holds between the margins
LINES_PER_PAGE = (PAGE[1] - 2 * MARGIN) // LEADING
FONTS = {"title": ("F2", 16), "heading": ("F2", 11.5), "body": ("F1", 10.5)}

# A CV's headings and a letter's courtesies, in the candidate's language.
WORDS = {
    "fr": {
        "education": "Formation",
        "experience": "Expérience professionnelle",
        "languages": "Langues",
        "subject": "Objet : candidature à la mission {reference} – {title}",
        "greeting": "Madame, Monsieur,",
        "closing": "Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.",
    },
    "en": {
        "education": "Education",
        "experience": "Work experience",
        "languages": "Languages",
        "subject": "Application for mission {reference} – {title}",
        "greeting": "Dear Sir or Madam,",
        "closing": "Yours faithfully,",
    },
}


class Line(NamedTuple):
    text: str
    style: str = "body"


def pdf_text(text: str) -> bytes:
    """A PDF string of ``text`` in the fonts' encoding (WinAnsi: accents, ’, œ, –)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def page_content(lines: Sequence[Line]) -> bytes:
    parts = [b"BT", b"%d TL" % LEADING, b"%d %d Td" % (MARGIN, PAGE[1] - MARGIN)]
    for line in lines:
        font, size = FONTS[line.style]
        parts += [f"/{font} {size} Tf".encode(), pdf_text(line.text) + b" Tj T*"]
    parts.append(b"ET")
    return b"\n".join(parts)


def info_text(text: str) -> bytes:
    """A metadata string in UTF-16 (the PDF way of writing any character there)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_document(lines: Sequence[Line], *, title: str, author: str) -> bytes:
    """A PDF of the lines, wrapped and paginated, with its title and author in its metadata."""
    wrapped = [
        Line(part, line.style)
        for line in lines
        for part in (textwrap.wrap(line.text, WRAP) or [""])
    ]
    pages = [wrapped[i : i + LINES_PER_PAGE] for i in range(0, len(wrapped), LINES_PER_PAGE)]
    fonts = b"<< /F1 3 0 R /F2 4 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(len(pages))), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Author %s /Producer (Volontiers demo) >>"
        % (info_text(title), info_text(author)),
    ]
    for index, page in enumerate(pages):
        content = page_content(page)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font %s >> "
            b"/Contents %d 0 R >>" % (*PAGE, fonts, 7 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    return pdf_file(objects, info=5)


def full_name(record: dict[str, Any]) -> str:
    return f"{record['profile']['first_name']} {record['profile']['last_name']}"


def contact_lines(record: dict[str, Any]) -> list[Line]:
    profile = record["profile"]
    country = countries.name(profile["residence"])
    return [
        Line(full_name(record), "title"),
        Line(f"{profile['city']}, {country} · {profile['phone']} · {record['email']}"),
        Line(""),
    ]


def language_list(levels: dict[str, str]) -> str:
    names, labels = dict(LANGUAGE_CHOICES), dict(CefrLevel.choices)
    return ", ".join(f"{names[code]} ({labels[level]})" for code, level in levels.items())


def cv_pdf(record: dict[str, Any]) -> bytes:
    """The candidate's CV: contact, education, experience and languages, in their language."""
    language = record["profile"]["preferred_language"]
    words = WORDS[language]
    with translation.override(language):
        profile = record["profile"]
        education = EducationLevel(profile["education_level"]).label
        lines = [
            *contact_lines(record),
            Line(words["education"], "heading"),
            Line(f"{education} – {profile['education_field']}"),
            Line(""),
            Line(words["experience"], "heading"),
            *(Line(f"• {item}") for item in record["experience"]),
            Line(""),
            Line(words["languages"], "heading"),
            Line(language_list(record["languages"])),
        ]
        return pdf_document(lines, title=f"CV – {full_name(record)}", author=full_name(record))


def letter_pdf(record: dict[str, Any], paragraphs: Iterable[str], mission: Any) -> bytes:
    """A cover letter for a mission: the candidate's paragraphs between the courtesies."""
    words = WORDS[record["profile"]["preferred_language"]]
    with translation.override(record["profile"]["preferred_language"]):
        subject = words["subject"].format(reference=mission.reference, title=mission.title)
        body = [line for paragraph in paragraphs for line in (Line(paragraph), Line(""))]
        lines = [
            *contact_lines(record),
            Line(subject, "heading"),
            Line(""),
            Line(words["greeting"]),
            Line(""),
            *body,
            Line(words["closing"]),
            Line(""),
            Line(full_name(record)),
        ]
        return pdf_document(lines, title=subject, author=full_name(record))


def certificate_pdf(record: dict[str, Any], title: str) -> bytes:
    """A certificate a candidate attaches to answer a question: its title and their name."""
    lines = [Line(title, "title"), Line(""), Line(full_name(record))]
    return pdf_document(lines, title=title, author=full_name(record))
