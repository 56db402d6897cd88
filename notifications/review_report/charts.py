"""The review report's charts as PNG bytes: indicators against their path, items by status per body.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, so no global figure registry to
leak memory in a long-running scheduler) in DejaVu Sans, named by its file so that every Vietnamese
letter is drawn whatever fonts the machine has. The charts take words already in the reader's
language: the report decides what is said, this module only draws it.
"""

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 120
WIDTH_IN = 6.3  # the text width of an A4 page with 30 mm and 15 mm margins, in inches
TOP_BODIES = 25

# Status colours, from done (green) to blocked (red), readable in grey print too.
STATUS_COLOURS = {
    "done": "#2e7d32", "on_track": "#81c784", "behind": "#f9a825",
    "not_started": "#bdbdbd", "blocked": "#c62828", "unanswered": "#ffffff",
}  # fmt: skip
VERDICT_COLOURS = {
    "met": "#2e7d32", "on_track": "#81c784", "at_risk": "#f9a825", "off_track": "#c62828", "no_data": "#bdbdbd",
}


def font_family() -> str:
    """The family every chart is drawn in: the system's DejaVu Sans when present (registered by
    its file), else matplotlib's bundled copy of the same font; both have every Vietnamese letter."""
    if _DEJAVU.exists():
        font_manager.fontManager.addfont(str(_DEJAVU))
        for bold in ("DejaVuSans-Bold.ttf",):
            path = _DEJAVU.with_name(bold)
            if path.exists():
                font_manager.fontManager.addfont(str(path))
    return "DejaVu Sans"


@dataclass(frozen=True)
class IndicatorBar:
    """One indicator on the path chart: how far along from baseline to target it is (0 = the
    baseline, 1 = the target) and how far the straight path says it should be by now."""

    label: str
    reached: float | None
    expected: float
    verdict: str


def _png(figure: Figure) -> bytes:
    out = BytesIO()
    FigureCanvasAgg(figure).print_png(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _figure(rows: float) -> Figure:
    height = min(8.0, 1.0 + 0.26 * max(rows, 1))
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    return figure


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapped(name: str, width: int = 30, lines: int = 2) -> str:
    """A body's name on at most ``lines`` lines of ``width`` characters, cut with "…" beyond: the
    chart names bodies by name, not by the registry's code, and a long name keeps its words."""
    parts = textwrap.wrap(name, width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], _short(" ".join(parts[lines - 1:]), width)]
    return "\n".join(parts)


def _legend(figure: Figure, handles: Sequence[Artist], family: str) -> None:
    """The legend under the plot, outside it (the constrained layout makes room), so that it never
    hides a bar."""
    figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 3), frameon=False,
                  prop={"family": family, "size": 7})


def indicator_chart(
    bars: Sequence[IndicatorBar], *, title: str, path_label: str, verdict_labels: Mapping[str, str], axis_label: str,
) -> bytes:
    """Each indicator's progress from baseline (0 %) to target (100 %), coloured by its verdict,
    with a black tick where the straight path says it should stand at the end of the period.
    Progress past 150 % is drawn at 150 %; no value, no bar."""
    family = font_family()
    figure = _figure(len(bars) + 2)
    axes = figure.add_subplot()
    rows = list(reversed(bars))
    ys = list(range(len(rows)))
    shown = [min(max(b.reached, 0.0), 1.5) * 100 if b.reached is not None else 0.0 for b in rows]
    axes.barh(ys, shown, color=[VERDICT_COLOURS.get(b.verdict, "#bdbdbd") for b in rows],
              edgecolor="#424242", linewidth=0.4, height=0.6)
    axes.scatter([min(b.expected, 1.5) * 100 for b in rows], ys, marker="|", s=200, color="#000000",
                 linewidths=2, zorder=3)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_yticks(ys, [_short(b.label) for b in rows], fontfamily=family, fontsize=8)
    axes.set_xlim(0, 150)
    axes.axvline(100, color="#616161", linewidth=0.8, linestyle="--")
    axes.set_xlabel(axis_label, fontfamily=family, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.set_title(title, fontfamily=family, fontsize=10, fontweight="bold")
    path = Line2D([], [], color="#000000", marker="|", linestyle="none", markersize=10, markeredgewidth=2)
    handles = [Patch(color=VERDICT_COLOURS[v], label=verdict_labels.get(v, v)) for v in VERDICT_COLOURS]
    path.set_label(path_label)
    _legend(figure, [*handles, path], family)
    return _png(figure)


def status_chart(
    bodies: Sequence[tuple[str, Mapping[str, int]]], *, title: str, status_labels: Mapping[str, str],
    axis_label: str, top: int = TOP_BODIES,
) -> bytes:
    """A bar per body (named in the reader's language) of its items by status, each as a share of the body's items (so a body of 5
    items and one of 500 read alike), the count written at the end; the ``top`` bodies with the
    most items (the report's table lists them all). ``status_labels`` gives the order."""
    family = font_family()
    shown = sorted(bodies, key=lambda b: (-sum(b[1].values()), b[0]))[:top]
    labels = [_wrapped(name) for name, _ in reversed(shown)]
    figure = _figure(sum(1 + label.count("\n") * 0.6 for label in labels) + 2)
    axes = figure.add_subplot()
    rows = list(reversed(shown))
    ys = list(range(len(rows)))
    totals = [max(sum(counts.values()), 1) for _, counts in rows]
    left = [0.0] * len(rows)
    handles = []
    for status, label in status_labels.items():
        widths = [100 * counts.get(status, 0) / total for (_, counts), total in zip(rows, totals, strict=True)]
        colour = STATUS_COLOURS.get(status, "#90a4ae")
        axes.barh(ys, widths, left=left, color=colour, edgecolor="#424242", linewidth=0.4, height=0.6)
        handles.append(Patch(facecolor=colour, edgecolor="#424242", linewidth=0.4, label=label))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, (_, counts) in zip(ys, rows, strict=True):
        axes.text(101, y, str(sum(counts.values())), va="center", fontsize=7, fontfamily=family)
    axes.set_xlim(0, 110)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_yticks(ys, labels, fontfamily=family, fontsize=7)
    axes.set_xlabel(axis_label, fontfamily=family, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.set_title(title, fontfamily=family, fontsize=10, fontweight="bold")
    _legend(figure, handles, family)
    return _png(figure)
