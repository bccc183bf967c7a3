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


def test_makemessages_finds_no_string_left_untranslated(tmp_path):
    """Extract the strings from the code as it is now: every one must be in the catalogues."""
    import shutil
    import sys

    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "staticfiles", "var", ".git", "e2e", "*.pyc"
        ),
    )
    command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "en", "--no-obsolete"]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    po = str(copy / "locale/en/LC_MESSAGES/django.po")
    check = ["msgfmt", "--statistics", "-o", "/dev/null", po]
    english = subprocess.run(check, capture_output=True, text=True, check=False)  # noqa: S603
    assert "untranslated" not in english.stderr and "fuzzy" not in english.stderr, english.stderr


def test_the_corrections_of_third_party_french_are_in_the_compiled_catalogue(tmp_path):
    """makemessages drops msgids that are not in our sources: `make messages` adds them back."""
    import gettext

    corrections = Path(settings.BASE_DIR) / "locale" / "fr" / "third-party.po.in"
    compiled = tmp_path / "third-party.mo"
    subprocess.run(  # noqa: S603 -- gettext's compiler on our own file
        ["msgfmt", "--check", "-o", str(compiled), str(corrections)],  # noqa: S607
        check=True,
    )
    with compiled.open("rb") as ours, catalogue("fr").with_suffix(".mo").open("rb") as french:
        wanted = gettext.GNUTranslations(ours)._catalog
        actual = gettext.GNUTranslations(french)._catalog

    assert len(wanted) > 50
    missing = {key: text for key, text in wanted.items() if key and actual.get(key) != text}
    assert missing == {}, "run make messages"
