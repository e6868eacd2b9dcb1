"""Photos are stored without their metadata (EXIF: GPS position, time, device; PNG text),
losslessly, with the orientation kept; files that are not pictures are refused."""

import io

import pytest
from PIL import Image

from gongzhi.core.errors import ApplicationError
from gongzhi.core.images import strip_jpeg, strip_png, without_metadata
from gongzhi.core.uploads import read_upload

GPS_IFD, ORIENTATION = 0x8825, 0x0112


def _photo(orientation=6, *, icc=False) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS, camera and orientation, a comment."""
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "王小明的手机"  # Software: personal text
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 12.0, 3.5), 3: "E", 4: (121.0, 23.0, 1.2)})
    out = io.BytesIO()
    extra = {"icc_profile": b"\x00" * 128} if icc else {}
    image.save(out, "JPEG", exif=exif, comment="拍摄于 13800138000 家", **extra)
    return out.getvalue()


def _metadata(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.getexif(), image.info


def test_a_phone_photo_loses_its_gps_and_keeps_its_orientation():
    photo = _photo(orientation=6)
    exif, info = _metadata(photo)
    assert exif.get_ifd(GPS_IFD) and "comment" in info  # it was there
    stripped = strip_jpeg(photo)
    exif, info = _metadata(stripped)
    assert dict(exif) == {ORIENTATION: 6}
    assert not exif.get_ifd(GPS_IFD) and "comment" not in info
    for leak in (b"PhoneMaker", "王小明".encode(), b"13800138000", b"GPS"):
        assert leak not in stripped
    # the picture itself is untouched: the same pixels, bit for bit
    with Image.open(io.BytesIO(photo)) as before, Image.open(io.BytesIO(stripped)) as after:
        assert before.tobytes() == after.tobytes()


def test_an_upright_photo_keeps_no_exif_at_all_and_the_colour_profile_stays():
    stripped = strip_jpeg(_photo(orientation=1, icc=True))
    exif, info = _metadata(stripped)
    assert dict(exif) == {} and info.get("icc_profile") == b"\x00" * 128


def test_png_text_and_exif_chunks_are_dropped():
    image = Image.new("RGB", (8, 8), (10, 20, 30))
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "住址：某路 1 号")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=text, exif=Image.Exif())
    stripped = strip_png(out.getvalue())
    assert "住址".encode() not in stripped and b"tEXt" not in stripped and b"eXIf" not in stripped
    with Image.open(io.BytesIO(stripped)) as after:
        assert after.tobytes() == image.tobytes()


class _Upload(io.BytesIO):
    def __init__(self, data, name):
        super().__init__(data)
        self.name = name


def test_uploads_store_the_stripped_photo_under_its_own_hash():
    import hashlib

    photo = _photo()
    checked = read_upload(_Upload(photo, "IMG_0001.jpg"))
    assert checked.content_type == "image/jpeg" and checked.data != photo
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert b"GPS" not in checked.data


@pytest.mark.parametrize(
    "data",
    [b"\xff\xd8\xff" + b"\x00" * 100, b"\x89PNG\r\n\x1a\n" + b"0" * 40],
    ids=["jpeg-magic-only", "png-magic-only"],
)
def test_something_that_only_starts_like_a_picture_is_refused(data):
    with pytest.raises(ApplicationError, match="不是可读取的图片"):
        read_upload(_Upload(data, "x.jpg"))


def test_a_decompression_bomb_is_refused():
    import struct
    import zlib

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(ApplicationError, match="图片过大"):
        without_metadata(bomb, "png")


def test_every_kept_file_has_the_same_record():
    """Evidence, notice attachments, legal opinions and selection documents share one
    base: the fields had drifted (content type 40 or 50 long, size missing in two)."""
    from django.apps import apps

    from gongzhi.core.models import StoredFile

    stored = [m for m in apps.get_models() if issubclass(m, StoredFile)]
    assert {m.__name__ for m in stored} >= {
        "Evidence",
        "NoticeAttachment",
        "LegalOpinion",
        "SelectionDocument",
    }
    shapes = {
        m.__name__: {
            f.name: (type(f).__name__, getattr(f, "max_length", None))
            for f in m._meta.fields
            if f.name
            in {
                "file",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "uploaded_by",
                "uploaded_at",
            }
        }
        for m in stored
    }
    assert len({tuple(sorted(shape.items())) for shape in shapes.values()}) == 1, shapes
    from gongzhi.core.models import Job

    others = [
        f
        for m in apps.get_models()
        if not issubclass(m, StoredFile) and m is not Job  # a job's file is ours, not uploaded
        for f in m._meta.fields
    ]
    assert not [f for f in others if type(f).__name__ == "FileField"]  # no upload outside it
