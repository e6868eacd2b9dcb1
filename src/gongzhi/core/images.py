"""Photos as they are kept: checked to be images, with their metadata removed.

A phone photo of a leaking ceiling or a signed delivery list carries EXIF: the GPS
position of the owner's home, the time, the phone's serial number, sometimes the
owner's name. Nothing of it is needed, so it is removed before the file is stored —
losslessly, by dropping the metadata segments (JPEG) or chunks (PNG); the picture
itself is not re-encoded. The orientation is the one tag kept (rewritten alone), or
photos taken upright would show on their side.
"""

from __future__ import annotations

import io
import struct
import zlib

from django.utils.translation import gettext as _

from .errors import ApplicationError

# JPEG markers kept before the image data: JFIF (APP0), the colour profile (APP2 with
# "ICC_PROFILE"), Adobe's colour transform (APP14), and every non-APP marker (tables,
# frame header). Dropped: EXIF and XMP (APP1), IPTC (APP13), other APPn, comments.
_APP0, _APP1, _APP2, _APP14, _COM, _SOS = 0xE0, 0xE1, 0xE2, 0xEE, 0xFE, 0xDA
# PNG chunks dropped: EXIF, text (which may hold anything), modification time.
_PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; beyond that a decompression bomb


def _orientation(exif: bytes) -> int | None:
    """The Orientation tag (0x0112) of an EXIF APP1 payload, if any."""
    if not exif.startswith(b"Exif\x00\x00") or len(exif) < 14:
        return None
    tiff = exif[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    try:
        (first_ifd,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[first_ifd : first_ifd + 2])
        for index in range(count):
            start = first_ifd + 2 + 12 * index
            tag, kind, _n, value = struct.unpack(order + "HHI4s", tiff[start : start + 12])
            if tag == 0x0112 and kind == 3:  # SHORT
                (orientation,) = struct.unpack(order + "H", value[:2])
                return orientation if 1 <= orientation <= 8 else None
    except struct.error:
        return None
    return None


def _orientation_segment(orientation: int) -> bytes:
    """An APP1 segment with an EXIF holding nothing but the orientation."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8)  # big-endian, IFD0 at offset 8
    tiff += struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff += struct.pack(">I", 0)  # no next IFD
    payload = b"Exif\x00\x00" + tiff
    return b"\xff" + bytes([_APP1]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """The header segments (marker, whole segment) up to the image data, and the image
    data itself (from the start-of-scan marker to the end)."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    segments: list[tuple[int, bytes]] = []
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("JPEG marker expected")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == _SOS:
            return segments, data[position:]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            segments.append((marker, data[position : position + 2]))
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segments.append((marker, data[position : position + 2 + length]))
        position += 2 + length
    raise ValueError("no image data")


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without its metadata segments; the image data is copied unchanged."""
    segments, scan = _jpeg_segments(data)
    orientation = None
    for marker, segment in segments:
        if marker == _APP1 and orientation is None:
            orientation = _orientation(segment[4:])
    kept = [
        (marker, segment)
        for marker, segment in segments
        if marker == _APP0
        or (marker == _APP2 and segment[4:].startswith(b"ICC_PROFILE\x00"))
        or marker == _APP14
        or not (0xE0 <= marker <= 0xEF or marker == _COM)
    ]
    out = io.BytesIO()
    out.write(b"\xff\xd8")
    if kept and kept[0][0] == _APP0:  # JFIF stays first
        out.write(kept.pop(0)[1])
    if orientation and orientation != 1:
        out.write(_orientation_segment(orientation))
    for _marker, segment in kept:
        out.write(segment)
    out.write(scan)
    return out.getvalue()


def strip_png(data: bytes) -> bytes:
    """The PNG without its metadata chunks."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise ValueError("not a PNG")
    out = io.BytesIO()
    out.write(signature)
    position = len(signature)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if kind not in _PNG_DROPPED:
            out.write(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return out.getvalue()


def check_image(data: bytes) -> None:
    """ApplicationError unless ``data`` decodes as a picture of a sane size."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ApplicationError(_("The picture is too large (more than 50 megapixels)."))
            image.verify()
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, zlib.error) as exc:
        raise ApplicationError(_("The file is not a readable picture.")) from exc
    except Image.DecompressionBombError as exc:
        raise ApplicationError(_("The picture is too large (more than 50 megapixels).")) from exc


def without_metadata(data: bytes, kind: str) -> bytes:
    """A checked picture of ``kind`` ("jpeg" or "png") with its metadata removed."""
    check_image(data)
    try:
        stripped = strip_jpeg(data) if kind == "jpeg" else strip_png(data)
    except (ValueError, struct.error) as exc:
        raise ApplicationError(_("The file is not a readable picture.")) from exc
    check_image(stripped)
    return stripped
