"""Residents' photos: check they really are images, shrink them and drop their metadata."""

import io
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
# Pillow's format name, the file extension we store, and save options.
FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
}
NOT_AN_IMAGE = _("The photo must be a JPG, PNG or WebP image.")


def photo_prepare(upload) -> ContentFile:
    """Validate an uploaded photo and return it resized and re-encoded, without EXIF data.

    Re-encoding writes only the pixels, so location and camera details never reach the
    server's disk; exif_transpose first turns the pixels the way the camera meant.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The photo must be smaller than 10 MB."), code="too_big")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(upload)
            image_format = image.format
            if image_format not in FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="wrong_type")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombWarning):
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    except Image.DecompressionBombError:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None

    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    extension, options = FORMATS[image_format]
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
