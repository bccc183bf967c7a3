"""Where candidates' documents are stored: a private folder, or a private S3 bucket."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env, secret


def private_storage(backend: str, *, location: Path) -> dict[str, Any]:
    """STORAGES["default"] for STORAGE_BACKEND ``filesystem`` or ``s3`` (django-storages,
    reached only through signed requests); the AWS_* variables are read for ``s3`` only."""
    if backend == "filesystem":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        }
    if backend != "s3":
        raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": secret("AWS_ACCESS_KEY_ID"),
            "secret_key": secret("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env.str("AWS_LOCATION", default="private"),
        },
    }
