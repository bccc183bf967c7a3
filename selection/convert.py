"""A Word or OpenDocument file as PDF, by LibreOffice headless (the program ``soffice``, or
the one ``settings.DOSSIER_SOFFICE`` names).

Each conversion runs in its own process group with a profile of its own (a throwaway folder,
shared by the conversions of one dossier, which run one after the other), and is killed, the
whole group, after ``settings.DOSSIER_CONVERT_TIMEOUT`` seconds: a file that makes LibreOffice
hang costs that much time, never the dossier.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Converted:
    """The PDF made, or None and why not: "missing" (no LibreOffice), "timeout", "failed"."""

    pdf: Path | None
    problem: str = ""


def soffice() -> str | None:
    """The LibreOffice program's path, or None where it is not installed."""
    return shutil.which(str(getattr(settings, "DOSSIER_SOFFICE", "soffice")))


def to_pdf(source: Path, *, workdir: Path, timeout: float | None = None) -> Converted:
    """Convert ``source`` into ``workdir/out/<stem>.pdf``; never raises for a bad file."""
    program = soffice()
    if program is None:
        return Converted(None, "missing")
    outdir = workdir / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (workdir / "profile").resolve().as_uri()
    command = [
        program, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
        "--convert-to", "pdf", "--outdir", str(outdir), str(source),
    ]  # fmt: skip
    # Its own session: the timeout kills LibreOffice's launcher and soffice.bin together.
    process = subprocess.Popen(  # noqa: S603 -- a fixed program and our own file paths
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "HOME": str(workdir)},
    )
    try:
        process.wait(timeout=timeout or settings.DOSSIER_CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        kill_group(process)
        logger.warning(
            "dossier: LibreOffice killed after %ss", timeout or settings.DOSSIER_CONVERT_TIMEOUT
        )
        return Converted(None, "timeout")
    finally:
        kill_group(process)  # anything it left running in its group
    pdf = outdir / f"{source.stem}.pdf"
    if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        return Converted(None, "failed")
    return Converted(pdf)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
