"""The compiled requirements: every package pinned with its hashes, and the runtime and
development files agreeing on every package they share (make upgrade compiles both)."""

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def compiled(name: str) -> dict[str, tuple[str, int]]:
    """Each package of a compiled file: its version and how many hashes it lists."""
    packages: dict[str, tuple[str, int]] = {}
    current = ""
    for line in (ROOT / name).read_text().splitlines():
        pin = PIN.match(line)
        if pin:
            current = canonical(pin.group(1))
            packages[current] = (pin.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = packages[current]
            packages[current] = (version, hashes + 1)
    return packages


def direct(name: str) -> set[str]:
    names = set()
    for line in (ROOT / name).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line.strip())
        if match and not line.startswith(("-", "#")):
            names.add(canonical(match.group(1)))
    return names


RUNTIME, DEV = compiled("requirements.txt"), compiled("requirements-dev.txt")


def test_both_files_pin_the_packages_they_share_alike():
    assert len(RUNTIME) > 40 and set(RUNTIME) <= set(DEV)  # dev installs the runtime too
    differing = {name: (RUNTIME[name][0], DEV[name][0]) for name in RUNTIME}
    assert {n: v for n, v in differing.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize("packages", [RUNTIME, DEV], ids=["requirements.txt", "dev"])
def test_every_package_is_pinned_with_its_hashes(packages):
    assert [name for name, (_version, hashes) in packages.items() if hashes == 0] == []


def test_every_direct_dependency_is_compiled():
    assert direct("requirements.in") - set(RUNTIME) == set()
    assert direct("requirements-dev.in") - set(DEV) == set()


def test_django_stubs_and_its_runtime_half_are_of_one_series():
    stubs, ext = DEV["django-stubs"][0], RUNTIME["django-stubs-ext"][0]
    assert stubs.split(".")[:2] == ext.split(".")[:2]


def test_the_environment_runs_what_is_pinned():
    installed = {name: metadata.version(name) for name in ("django", "django-allauth", "celery")}
    assert installed == {name: DEV[name][0] for name in installed}
