"""Residents' photos: local disk served by the app, or an S3-compatible bucket."""

import subprocess
import sys

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.config.test_settings import PRODUCTION_ENV, PROJECT_DIR, _run_with_production_settings


def test_a_stored_photo_is_served_with_a_long_cache(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("proposals/2026/11/abc.png", ContentFile(b"\x89PNG-bytes"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG-bytes"
    assert response["Content-Type"] == "image/png"
    assert "max-age=31536000" in response["Cache-Control"]


def test_paths_outside_the_media_folder_are_not_found(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "secret.txt").write_text("no")
    # Django refuses the path itself (400) or finds nothing (404); it never reads the file.
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/..%2fsecret.txt"):
        assert client.get(path).status_code in (400, 404), path
    assert client.get("/media/proposals/missing.png").status_code == 404


def test_a_bucket_setting_stores_photos_through_django_storages():
    probe = (
        "import django; django.setup(); "
        'from django.core.files.storage import storages; s = storages["default"]; '
        "print(type(s).__module__, s.bucket_name, s.endpoint_url, s.location)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_DIR,
        env={
            **PRODUCTION_ENV,
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "MEDIA_S3_BUCKET": "council-photos",
            "MEDIA_S3_ENDPOINT_URL": "https://s3.example.internal",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "council-photos",
        "https://s3.example.internal",
        "media",
    ]


def test_production_settings_check_cleanly_with_a_bucket():
    result = _run_with_production_settings(
        "check", "--deploy", "--fail-level", "WARNING",
        **{**PRODUCTION_ENV, "MEDIA_S3_BUCKET": "council-photos"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
