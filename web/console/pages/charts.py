"""Bar charts drawn by the server as SVG: no script, no font or file from anywhere else.

Pure functions of counts: a row per label, the bar's length in proportion to the largest count,
the count written at the end of the bar, and each bar a link (to the filtered item list) when the
row has one. The SVG scales with the page (``viewBox``, width 100%); labels are escaped.
"""

from collections.abc import Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

from config.words import show_number

COLOURS = {"done_on_time": "#1f6b3a", "done_late": "#6f8f3a", "not_done_within_deadline": "#153e75",
           "not_done_overdue": "#a3171b", "blocked": "#8a5a00"}


class Bar(NamedTuple):
    label: str
    value: int
    href: str | None = None
    colour: str = "#a3171b"


def _clip(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 460, label_width: int = 200, row: int = 26,
              language: str = "vi") -> Markup:
    """A horizontal bar chart of ``bars`` with an accessible ``title``; counts in the reader's marks (1.250)."""
    top = max((b.value for b in bars), default=0) or 1
    span = width - label_width - 48
    height = row * max(len(bars), 1) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" class="chart" font-family="sans-serif" font-size="14">',
             f"<title>{escape(title)}</title>"]
    for n, bar in enumerate(bars):
        y = 4 + n * row
        length = max(2, round(span * bar.value / top)) if bar.value else 0
        shape = (f'<text x="{label_width - 8}" y="{y + row * 0.62:.1f}" text-anchor="end" fill="#1d1d1f">'
                 f"<title>{escape(bar.label)}</title>{escape(_clip(bar.label, 24))}</text>"
                 f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" rx="2" fill="{bar.colour}"/>'
                 f'<text x="{label_width + length + 6}" y="{y + row * 0.62:.1f}" fill="#1d1d1f">{show_number(bar.value, language)}</text>')
        parts.append(f'<a href="{escape(bar.href)}">{shape}</a>' if bar.href else shape)
    parts.append("</svg>")
    return Markup("".join(parts))
