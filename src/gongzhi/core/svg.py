"""Drawing SVG on the server (maps, charts): every attribute value and text escaped,
positions from latitude and longitude by an equirectangular projection around an
origin (exact enough over a few kilometres). No tiles, nothing fetched."""

from __future__ import annotations

import math
from html import escape

METRES_PER_DEGREE = 111_195.0


def metres_from(
    origin_latitude: float, origin_longitude: float, latitude: float, longitude: float
) -> tuple[float, float]:
    """Metres east and north of the origin."""
    east = (
        (longitude - origin_longitude) * METRES_PER_DEGREE * math.cos(math.radians(origin_latitude))
    )
    north = (latitude - origin_latitude) * METRES_PER_DEGREE
    return east, north


def _number(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _attributes(attributes: dict[str, object]) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(_number(value))}"'
        for name, value in attributes.items()
    )


def element(tag: str, text: str = "", **attributes: object) -> str:
    """An SVG element; attribute names use _ for -, values and text are escaped."""
    rendered = _attributes(attributes)
    if text:
        return f"<{tag} {rendered}>{escape(text)}</{tag}>"
    return f"<{tag} {rendered}/>"


def container(tag: str, children: list[str], **attributes: object) -> str:
    """An element around children made by ``element`` or ``container`` (already
    escaped); its own attributes are escaped."""
    return f"<{tag} {_attributes(attributes)}>{''.join(children)}</{tag}>"
