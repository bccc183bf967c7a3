import subprocess
from pathlib import Path

import pytest
from django.conf import settings


def catalogue(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_is_complete_and_compiled(language, tmp_path):
    po = catalogue(language)
    compiled = tmp_path / "django.mo"

    result = subprocess.run(  # noqa: S603 -- gettext's own checker on our catalogue
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run make messages"
