"""Charts drawn on the server as SVG (no script, nothing from elsewhere): requests
reported and resolved per month over the last twelve months."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gongzhi.core.svg import container, element

WIDTH, HEIGHT, PAD = 600, 200, 28


def monthly_svg(months: list[tuple[str, int, int]]) -> SafeString:
    """Paired bars per month: reported (grey) and resolved (green), each with its
    number as a tooltip, the month under the pair and the scale's top on the axis."""
    top = max([1, *(max(reported, resolved) for _label, reported, resolved in months)])
    slot = (WIDTH - 2 * PAD) / max(1, len(months))
    bar = slot * 0.35
    scale = (HEIGHT - 2 * PAD) / top
    shapes = [
        element("line", class_="axis", x1=PAD, x2=WIDTH - PAD, y1=HEIGHT - PAD, y2=HEIGHT - PAD),
        element("text", str(top), class_="label", x=PAD, y=14),
    ]
    for index, (label, reported, resolved) in enumerate(months):
        x = PAD + index * slot
        for offset, value, tone, words in (
            (0.0, reported, "reported", _("reported")),
            (bar, resolved, "resolved", _("resolved")),
        ):
            height = value * scale
            shapes.append(
                container(
                    "rect",
                    [element("title", f"{label} {words} {value}")],
                    class_=tone,
                    x=x + offset,
                    y=HEIGHT - PAD - height,
                    width=bar,
                    height=height,
                )
            )
        shapes.append(
            element(
                "text",
                label[5:],
                class_="label",
                x=x + bar,
                y=HEIGHT - PAD + 14,
                text_anchor="middle",
            )
        )
    svg = container(
        "svg",
        shapes,
        class_="chart",
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        role="img",
        aria_label=_("Requests reported and resolved per month"),
    )
    return mark_safe(svg)  # noqa: S308 — every value above is escaped by element()
