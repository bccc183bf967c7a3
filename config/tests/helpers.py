"""What the settings tests share: production values, and manage.py run with them."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "volontiers.example.org",
    "SITE_URL": "https://volontiers.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "DATABASE_URL": "sqlite:////tmp/volontiers-check-deploy.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run manage.py with ``env`` over this environment, minus its own production values."""
    clean_env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        check=False,
    )
