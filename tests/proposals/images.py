"""Image files built in memory for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(
    *, size=(40, 30), image_format="JPEG", exif=None, name="photo.jpg"
) -> SimpleUploadedFile:
    output = io.BytesIO()
    image = Image.new("RGB", size, color=(200, 80, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(output, format=image_format, **options)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def exif_with_location():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise when shown
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 50.0)}  # GPS
    return exif
