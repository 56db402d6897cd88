"""The review report as a Word file laid out as a Vietnamese administrative report.

A4, margins and type as Decree 30/2020/NĐ-CP asks (top and bottom 20 mm, left 30 mm, right 15 mm,
Times New Roman 13 pt), the Party's heading block (the committee and ``*`` on the left, the Party's
name underlined and the place and date in italics on the right), the title, numbered sections with
tables whose header row repeats on every page, the charts as figures with captions, the signature
block and ``Nơi nhận:``. A report of an open round says DỰ THẢO on every page.

The Word file counts; it never lists every item: long tables stop after a few dozen rows with
"và N mục khác", so that a round of 100,000 items gives a report of a few pages (the XLSX lists all).
"""

from collections.abc import Sequence
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, RGBColor

from config.words import date_line, show_date
from notifications.review_report import charts
from notifications.review_report.docx_layout import (
    borderless,
    cell_lines,
    clip,
    figure,
    heading,
    page,
    para,
    run,
    table,
)  # fmt: skip
from notifications.review_report.docx_words import (
    body_names,
    count,
    number,
    percent,
    reason_word,
    say,
    status_word,
    target_text,
    targets_text,
    verdict_word,
)  # fmt: skip
from notifications.review_report.model import FALLING, STATUSES, VERDICTS, GroupCounts, ReviewReport, TargetRow

ROWS_CAP = 30
"""Rows a table of counts shows before "và N mục khác"; the XLSX has every row."""
ATTENTION_CAP = 40
NAMES_CAP = 30
__all__ = ["render_docx"]


def _heading_block(document: DocumentObject, report: ReviewReport, language: str) -> None:
    """The Party's heading: committee, ``*`` and number left; the Party's name and the date right."""
    head, day = report.letterhead, report.round.closed_on or report.round.as_of
    grid = document.add_table(rows=1, cols=2)
    borderless(grid)
    left, right = grid.rows[0].cells
    grid.columns[0].width, grid.columns[1].width = left.width, right.width = Mm(70), Mm(95)
    cell_lines(left, [(head.says("committee", language), {"bold": True}), ("*", {}),
                       (say("number", language), {"size": 13})])
    place = date_line(head.says("city", language), day, language)
    cell_lines(right, [(head.says("party", language), {"bold": True, "underline": True}), ("", {}),
                        (place, {"italic": True})])


def _title(document: DocumentObject, report: ReviewReport, language: str) -> None:
    review = report.round
    programme = report.letterhead.says("programme_title", language)
    if language != "en" and programme[:1].isupper() and not programme.startswith("Chương trình"):
        programme = programme[:1].lower() + programme[1:]
    para(document, say("title", language), align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0, bold=True, size=15)
    subtitle = say(f"kind_{review.kind}", language, programme=programme, year=review.period_to.year)
    para(document, subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, bold=True, size=14)
    para(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    what = say(f"what_{review.kind}", language, year=review.period_to.year)
    para(document, say("intro", language, programme=programme, what=what, opened=show_date(review.opened_on),
                        start=show_date(review.period_from), end=show_date(review.period_to), due=show_date(review.due)),
          indent=True)


def _more(document: DocumentObject, shown: int, total: int, language: str) -> None:
    if total > shown:
        para(document, say("more", language, n=count(total - shown, language)), italic=True, size=11, after=6)


def _group_name(group: GroupCounts, names: dict[str, str] | None) -> str:
    """A part or section as the document numbers it ("B.II. Title"); a body by its name only."""
    if names is not None:
        return names.get(group.key, group.title or group.key)
    return f"{group.key}. {group.title}" if group.title and group.title != group.key else group.key


def _status_table(document: DocumentObject, groups: Sequence[GroupCounts], first: str, language: str,
                  names: dict[str, str] | None = None) -> None:
    """Groups (parts, sections, bodies) by status, capped, with the total of every group; bodies
    (``names`` given) by their names, which is what a Standing Committee member reads."""
    shown = groups[:ROWS_CAP]
    header = [say("no", language), first, *[status_word(s, language) for s in STATUSES], say("total", language)]
    rows = [[str(i), clip(_group_name(g, names), 60 if names is None else 90),
             *[count(g.counts.of(s), language) for s in STATUSES], count(g.counts.total, language)]
            for i, g in enumerate(shown, 1)]
    total = ["", say("total", language), *[count(sum(g.counts.of(s) for g in groups), language) for s in STATUSES],
             count(sum(g.counts.total for g in groups), language)]
    table(document, header, rows, [9, 40, 16, 16, 16, 16, 16, 16, 20], total=total)
    _more(document, len(shown), len(groups), language)


def _answers(document: DocumentObject, report: ReviewReport, language: str) -> None:
    """Section I: what was asked, who answered, on time or late, who did not."""
    s = report.summary
    heading(document, say("s1", language))
    para(document, say("s1_text", language, bodies=count(s.bodies_asked, language), items=count(s.items_asked, language),
                        answered=count(s.items_answered, language), on_time=count(s.answered_on_time, language),
                        late=count(s.answered_late, language), missing=count(s.items_missing, language),
                        complete=count(s.bodies_complete, language), partial=count(s.bodies_partial, language),
                        silent=count(len(s.bodies_silent), language)), indent=True)
    known = body_names(report, language)
    if s.bodies_silent:
        names = ", ".join(known.get(code, code) for code in s.bodies_silent[:NAMES_CAP])
        if len(s.bodies_silent) > NAMES_CAP:
            names += " " + say("more", language, n=count(len(s.bodies_silent) - NAMES_CAP, language)).rstrip(".")
        para(document, say("silent", language, names=names), indent=True)
    bodies = report.bodies[:ROWS_CAP]
    header = [say(k, language) for k in ("no", "body", "asked", "answered", "late", "missing")]  # late: "Muộn", as the letters
    rows = [[str(i), clip(b.name(language), 80), count(b.asked, language), count(b.answered, language),
             count(b.late, language), count(b.missing, language)] for i, b in enumerate(bodies, 1)]
    table(document, header, rows, [10, 67, 22, 22, 22, 22])
    _more(document, len(bodies), len(report.bodies), language)


def _results(document: DocumentObject, report: ReviewReport, language: str) -> None:
    """Section II: items by status, then per part, per section and per body, with the chart."""
    heading(document, say("s2", language))
    heading(document, say("s2_1", language), level=2)
    whole = report.by_status.total
    rows = [[str(i), status_word(s, language), count(report.by_status.of(s), language),
             percent(report.by_status.of(s), whole, language)] for i, s in enumerate(STATUSES, 1)]
    table(document, [say(k, language) for k in ("no", "status", "count", "share")], rows, [12, 80, 35, 35],
           total=["", say("total", language), count(whole, language), percent(whole, whole, language)])
    names = body_names(report, language)
    for key, groups, first, named in (("s2_2", report.by_part, "part", None), ("s2_3", report.by_section, "section", None),
                                      ("s2_4", report.by_body, "body", names)):
        heading(document, say(key, language), level=2)
        _status_table(document, groups, say(first, language), language, named)
    if report.by_body:
        png = charts.status_chart(
            [(names.get(g.key, g.key), {s: g.counts.of(s) for s in STATUSES}) for g in report.by_body],
            title=say("chart_status", language), status_labels={s: status_word(s, language) for s in STATUSES},
            axis_label=say("chart_status_axis", language),
        )
        top = say("fig_status_top", language, top=charts.TOP_BODIES) if len(report.by_body) > charts.TOP_BODIES else ""
        figure(document, png, say("fig_status", language, n=1) + top)


def _bar(row: TargetRow) -> charts.IndicatorBar:
    """Where an indicator stands on its way to its target (0 = the baseline, 1 = the target) and
    where the path says it should stand, in the direction the comparator sets: a target to fall
    below (``below``, ``at_most``) is reached by going down. Without a baseline there is no path:
    the bar is the verdict's own ratio (value ÷ target, or target ÷ value on a falling target) and
    the mark is the target itself, so that the chart and the verdict say the same."""
    label = f"{row.item_key} {row.name}"
    if row.value is None:
        return charts.IndicatorBar(label, None, 1.0, row.verdict)
    if row.baseline is None:
        return charts.IndicatorBar(label, _ratio(row, row.value), 1.0, row.verdict)
    base = row.baseline
    aim = row.target
    if row.comparator == "between" and row.target_max is not None and base > row.target_max:
        aim = row.target_max  # coming down into the band: its upper bound is the nearer end
    way = aim - base
    if way == 0:
        return charts.IndicatorBar(label, 1.0 if row.verdict == "met" else 0.0, 1.0, row.verdict)
    reached = (row.value - base) / way
    expected = 1.0 if row.expected is None else (row.expected - base) / way
    return charts.IndicatorBar(label, reached, expected, row.verdict)


def _ratio(row: TargetRow, value: float) -> float:
    """An indicator without baseline: the share the verdict used, or for a met one how far past
    the target it is (at least 1: a rate to fall below that fell further is drawn past the line)."""
    if row.share is not None:
        return row.share
    if row.verdict != "met":
        return 0.0
    if value <= 0 or row.target <= 0 or row.comparator not in (*FALLING, "at_least", "more_than"):
        return 1.0
    return max(1.0, row.target / value if row.comparator in FALLING else value / row.target)


def _targets(document: DocumentObject, report: ReviewReport, language: str) -> None:
    """Section III: each indicator's baseline, value, target and verdict, and the path chart."""
    heading(document, say("s3", language))
    if not report.targets:
        para(document, say("none_targets", language), indent=True)
        return
    para(document, targets_text(report, language), indent=True)
    shown = sorted(report.targets, key=lambda t: t.value is None)[:ROWS_CAP]  # reported first: the cap cuts "no data"
    rows = [[str(i), clip(f"{t.item_key}: {t.name}", 90),
             t.baseline_text or (number(t.baseline, language) if t.baseline is not None else "-"),
             f"{number(t.value, language)} {t.unit}" if t.value is not None else "-",
             target_text(t.comparator, t.target, t.target_max, t.unit, t.year, language), verdict_word(t.verdict, language)]
            for i, t in enumerate(shown, 1)]
    header = [say(k, language) for k in ("no", "indicator", "baseline", "value", "target", "verdict")]
    table(document, header, rows, [10, 63, 22, 22, 26, 22])
    _more(document, len(shown), len(report.targets), language)
    if not any(t.value is not None for t in report.targets):
        return  # a chart of no values says nothing
    png = charts.indicator_chart(
        [_bar(t) for t in report.targets if t.value is not None][: charts.TOP_BODIES], title=say("chart_targets", language),
        path_label=say("chart_path", language), verdict_labels={v: verdict_word(v, language) for v in VERDICTS},
        axis_label=say("chart_targets_axis", language),
    )
    figure(document, png, say("fig_targets", language, n=2))


def _attention(document: DocumentObject, report: ReviewReport, language: str) -> None:
    """Section IV: the items overdue, blocked or behind, in the body's own words."""
    heading(document, say("s4", language))
    if not report.attention:
        para(document, say("none_attention", language), indent=True)
        return
    para(document, say("s4_text", language), indent=True).paragraph_format.keep_with_next = True
    shown = report.attention[:ATTENTION_CAP]
    names = body_names(report, language)
    rows = [[str(i), a.item_key, clip(a.text, 120), names.get(a.body, a.body), reason_word(a.reason, language),
             clip(a.note) if a.note else say("no_words", language)] for i, a in enumerate(shown, 1)]
    header = [say(k, language) for k in ("no", "key", "content", "body", "reason", "words")]
    table(document, header, rows, [9, 24, 46, 28, 18, 40])
    _more(document, len(shown), len(report.attention), language)


def _signature(document: DocumentObject, language: str) -> None:
    """``Nơi nhận:`` bottom left, the Standing Committee's signature right."""
    grid = document.add_table(rows=1, cols=2)
    borderless(grid)
    left, right = grid.rows[0].cells
    grid.columns[0].width, grid.columns[1].width = left.width, right.width = Mm(80), Mm(85)
    first = left.paragraphs[0]
    run(first, say("recipients", language), bold=True, italic=True, size=12)
    for line in say("recipient_lines", language).splitlines():
        run(left.add_paragraph(), line, size=11)
    cell_lines(right, [(say("on_behalf", language), {"bold": True}), (say("signer", language), {"bold": True})])


def render_docx(report: ReviewReport, language: str) -> bytes:
    """The report as the bytes of a .docx file, in ``language`` (``vi`` or ``en``)."""
    document = Document()
    draft = None
    if report.round.draft:
        draft = f"{say('draft', language)} · {say('draft_note', language, day=show_date(report.round.as_of))}"
    page(document, draft)
    if report.round.draft:
        para(document, say("draft", language), align=WD_ALIGN_PARAGRAPH.RIGHT, after=4, bold=True, size=14,
              colour=RGBColor(0xB0, 0x00, 0x20))
    _heading_block(document, report, language)
    _title(document, report, language)
    _answers(document, report, language)
    _results(document, report, language)
    _targets(document, report, language)
    _attention(document, report, language)
    para(document, after=12)
    _signature(document, language)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
