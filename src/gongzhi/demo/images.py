"""Small generated images for the demo's invented ballot scans and delivery photos."""

from __future__ import annotations

import hashlib
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png(caption: str, *, size: int = 16, shade: int = 235) -> bytes:
    """A valid grey PNG whose first row of pixels spells ``caption`` (so every scan
    differs, also once uploads have removed the metadata chunks)."""
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    digest = hashlib.sha256(caption.encode("utf-8")).digest()
    first = bytes(shade - (byte % 32) for byte in (digest * 4)[:size])
    rows = b"\x00" + first + b"".join(b"\x00" + bytes([shade]) * size for _ in range(size - 1))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )
