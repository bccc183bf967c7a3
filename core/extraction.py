"""The text of a candidate's document (PDF, DOCX, ODT), for staff search.

A document is the candidate's, hence untrusted: its text is read in a child process of its
own (``python -I`` on this very file, which imports nothing of the project), under a CPU time
limit, an address-space limit and a wall-clock timeout, and the text returned is capped. A
document that breaks a limit, or cannot be read, simply has no text: it stays valid.
"""

from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

# The most text kept of one document, in characters.
TEXT_LIMIT = 200_000
# A DOCX or ODT whose XML would inflate past this is a zip bomb, refused before reading.
XML_LIMIT = 50 * 1024 * 1024
CPU_SECONDS = 10
MEMORY_BYTES = 768 * 1024 * 1024
TIMEOUT_SECONDS = 30
KINDS = ("pdf", "docx", "odt")
# Paragraphs: Word's w:p, OpenDocument's text:p and text:h (titles).
PARAGRAPHS = {"p", "h"}


@dataclass(frozen=True)
class Extracted:
    """The text read, or None and why not: "unsupported", "failed", "timeout"."""

    text: str | None
    problem: str = ""


def text_extract(
    data: bytes,
    kind: str,
    *,
    cpu_seconds: int = CPU_SECONDS,
    memory_bytes: int = MEMORY_BYTES,
    timeout: float = TIMEOUT_SECONDS,
) -> Extracted:
    """The text of a document of ``kind`` ('pdf', 'docx', 'odt'), read in a limited child."""
    if kind not in KINDS:
        return Extracted(None, "unsupported")

    def limits() -> None:  # in the child, before it runs Python
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    try:
        done = subprocess.run(  # noqa: S603 -- this interpreter, this file, our own argument
            [sys.executable, "-I", str(Path(__file__).resolve()), kind],
            input=data,
            stdout=subprocess.PIPE,  # the text, capped by the child
            stderr=subprocess.DEVNULL,  # a hostile file's endless warnings are not kept
            env={
                "LANG": "C.UTF-8"
            },  # none of the worker's secrets for a parser of strangers' files
            timeout=timeout,
            preexec_fn=limits,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        return Extracted(None, "timeout")
    if done.returncode != 0:
        return Extracted(None, "failed")
    return Extracted(done.stdout.decode("utf-8", "replace")[:TEXT_LIMIT])


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= TEXT_LIMIT:
            break
    return "\n".join(parts)


def xml_text(data: bytes, entry: str) -> str:
    """The text of one XML entry of a zip, streamed: its uncompressed size is checked first."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.getinfo(entry).file_size > XML_LIMIT:
            raise ValueError("zip bomb")
        parts: list[str] = []
        size = 0
        with archive.open(entry) as stream:
            # Safe here: expat 2.4+ stops entity expansion bombs, ElementTree never fetches
            # external entities, and this child runs under CPU and memory limits.
            for _event, element in ElementTree.iterparse(stream):  # noqa: S314
                if element.tag.rpartition("}")[2] not in PARAGRAPHS:
                    continue
                text = "".join(element.itertext())
                parts.append(text)
                size += len(text)
                element.clear()  # memory stays flat, whatever the length of the document
                if size >= TEXT_LIMIT:
                    break
    return "\n".join(parts)


def child_main(kind: str) -> None:
    data = sys.stdin.buffer.read()
    if kind == "pdf":
        text = pdf_text(data)
    elif kind == "docx":
        text = xml_text(data, "word/document.xml")
    else:
        text = xml_text(data, "content.xml")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
    sys.stdout.write(text[:TEXT_LIMIT])


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    child_main(sys.argv[1])
