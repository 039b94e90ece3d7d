import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from proposals.photos import MAX_SIDE, photo_prepare
from tests.proposals.images import exif_with_location, image_upload


def _open(content_file):
    return Image.open(io.BytesIO(content_file.read()))


def test_it_keeps_a_small_jpeg_as_a_jpeg():
    prepared = photo_prepare(image_upload())
    assert prepared.name.endswith(".jpg")
    assert _open(prepared).format == "JPEG"


def test_it_shrinks_large_photos_to_1600_pixels():
    prepared = photo_prepare(image_upload(size=(4000, 2000)))
    assert _open(prepared).size == (MAX_SIDE, 800)


def test_it_removes_exif_data_such_as_location():
    upload = image_upload(exif=exif_with_location())
    assert Image.open(upload).getexif()  # the test photo really carries EXIF
    upload.seek(0)
    prepared = _open(photo_prepare(upload))
    assert dict(prepared.getexif()) == {}
    assert "exif" not in prepared.info


def test_it_turns_the_photo_the_way_the_camera_meant_before_dropping_exif():
    prepared = _open(photo_prepare(image_upload(size=(40, 30), exif=exif_with_location())))
    assert prepared.size == (30, 40)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_it_accepts_png_and_webp(image_format):
    prepared = photo_prepare(image_upload(image_format=image_format, name="photo.img"))
    assert _open(prepared).format == image_format


def test_it_refuses_a_file_that_is_not_an_image():
    upload = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationError, match="must be a JPG, PNG or WebP image"):
        photo_prepare(upload)


def test_it_refuses_other_image_types():
    with pytest.raises(ValidationError, match="must be a JPG, PNG or WebP image"):
        photo_prepare(image_upload(image_format="GIF", name="photo.gif"))


def test_it_refuses_photos_over_10_mb():
    upload = SimpleUploadedFile("big.jpg", b"0" * (10 * 1024 * 1024 + 1), "image/jpeg")
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        photo_prepare(upload)
