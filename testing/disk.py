"""A small tmpfs for full-disk tests: mounted for one test, filled almost to the brim."""

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testing.services import missing


@contextmanager
def small_tmpfs(mount_point: Path, size: int) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` bytes on ``mount_point`` (created) for the block's duration."""
    mount_point.mkdir()
    mounted = subprocess.run(  # noqa: S603 -- fixed arguments, our own temporary folder
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        missing(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)  # noqa: S603, S607


def fill(root: Path, leave: int = 16 * 1024) -> None:
    """Fill the disk under ``root`` until only ``leave`` bytes are free."""
    free = shutil.disk_usage(root).free
    (root / "filler").write_bytes(b"\0" * (free - leave))
