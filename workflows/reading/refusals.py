"""Why a document was refused, in one line that says what was found and what was missing.

A refusal is read by a clerk who has the document open: "no outline" is untrue of a document
whose parts are there (in bold, in sentence case, numbered I. to III.), and sends them looking
for the wrong thing. So each refusal names the parts and the numbering the reader found, and the
one thing it needed and did not find. Vietnamese first, English in brackets, as the other
refusals of a document (``formats.pdf``).
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models.programme import SectionInfo
from workflows.reading.markers import classify
from workflows.reading.outline import Outline, role_of

if TYPE_CHECKING:
    from workflows.reading.appendix import Unread

_ROLES_VI = {"targets": "chỉ tiêu", "goals": "mục tiêu", "tasks": "nhiệm vụ", "implementation": "tổ chức thực hiện",
             "purpose": "mục đích, yêu cầu"}
_WANTED_VI = "chỉ tiêu, nhiệm vụ, giải pháp hay tổ chức thực hiện"
_WANTED_EN = "targets (chỉ tiêu), tasks (nhiệm vụ, giải pháp) or implementation (tổ chức thực hiện)"
_SHOWN = 3
"""Headings quoted in a refusal; the rest are counted."""
_TITLE = 40
"""Characters of a heading's title quoted in a refusal."""


def _marker(marker_type: str, label: str) -> str:
    return f"{label})" if marker_type in ("letter", "numparen") else f"{label}."


def _numbering(headings: list[tuple[str, str, str]]) -> str:
    """The numbering of the headings, one span per kind in order of first use: "I.–III., 1.–4., a)–đ)"."""
    spans: dict[str, list[str]] = {}
    for marker_type, label, _ in headings:
        labels = spans.setdefault(marker_type, [])
        if _marker(marker_type, label) not in labels:
            labels.append(_marker(marker_type, label))
    return ", ".join(labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}" for labels in spans.values())


def _quoted(headings: list[tuple[str, str, str]]) -> str:
    shown = [f"«{_marker(t, label)} {title[:_TITLE].rstrip()}{'…' if len(title) > _TITLE else ''}»"
             for t, label, title in headings[:_SHOWN]]
    more = len(headings) - _SHOWN
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def _headings(lines: list[str]) -> list[tuple[str, str, str]]:
    found = []
    for line in lines:
        kind, marker_type, label, rest = classify(line)
        if kind == "heading":
            found.append((marker_type, label, rest))
    return found


def no_parts(lines: list[str]) -> str:
    """No part in capitals that names targets, tasks or implementation: say which headings there
    are, and which of them name a part without being written as one."""
    headings = _headings(lines)
    bullets = sum(1 for line in lines if classify(line)[0] == "bullet")
    if not headings:
        return (
            f"không thấy dàn ý chương trình: không có đề mục đánh số nào (I., A., 1., a)), {bullets} gạch đầu dòng "
            f"(no recognisable programme outline: found no numbered heading (I., A., 1., a)) and {bullets} bullets; "
            f"a programme has parts in capitals on {_WANTED_EN})"
        )
    naming = [h for h in headings if role_of(h[2])]
    found_vi = f"có {len(headings)} đề mục đánh số {_numbering(headings)}: {_quoted(headings)}"
    found_en = f"found {len(headings)} numbered headings {_numbering(headings)}: {_quoted(headings)}"
    if naming:
        return (
            f"không thấy dàn ý chương trình: {found_vi}; các đề mục {_quoted(naming)} nói về {_WANTED_VI} "
            "nhưng không viết hoa như tên một phần "
            f"(no recognisable programme outline: {found_en}; {_quoted(naming)} name a part but are not written "
            "in capitals as a part heading is, e.g. «II. NHIỆM VỤ VÀ GIẢI PHÁP»)"
        )
    return (
        f"không thấy dàn ý chương trình: {found_vi}, nhưng không phần nào viết hoa nói về {_WANTED_VI} "
        f"(no recognisable programme outline: {found_en}, but no part in capitals on {_WANTED_EN})"
    )


def nothing_to_track(outline: Outline, sections: list[SectionInfo], tables: Sequence["Unread"] = ()) -> str:
    """A document whose outline was read but gave no item: name its parts and numbering, and
    say what is missing (a part on targets, tasks or implementation; or bullets under it); then
    each appendix table and why its rows gave nothing."""
    body = _outline_refusal(outline, sections)
    if not tables:
        return body
    vi = "; ".join(_table_vi(t) for t in tables)
    en = "; ".join(_table_en(t) for t in tables)
    return f"{body}; phụ lục: {vi} (appendix: {en})"


def _table_vi(table: "Unread") -> str:
    if not table.table:
        return f"«{table.name}» (dòng {table.line}) không có bảng nào, chỉ có lời văn"
    if table.columns:
        return (f"bảng «{table.name}» (dòng {table.line}) không có cột nhiệm vụ hay chỉ tiêu nào đọc được "
                f"(các cột: {', '.join(table.columns)})")
    return f"bảng «{table.name}» (dòng {table.line}) có cột nhiệm vụ nhưng không hàng nào ghi việc cần làm"


def _table_en(table: "Unread") -> str:
    if not table.table:
        return f"«{table.name}» (line {table.line}) has no table, only prose"
    if table.columns:
        return f"the table «{table.name}» (line {table.line}) has no column of tasks or targets (its columns: {', '.join(table.columns)})"
    return f"the table «{table.name}» (line {table.line}) has a task column but no row with a task in it"


def _outline_refusal(outline: Outline, sections: list[SectionInfo]) -> str:
    if not outline.root.children:
        return no_parts(outline.front)
    parts = [(p.marker_type, p.label, p.title) for p in outline.root.children]
    below = [(s.marker_type, s.label, s.title) for p in outline.root.children for s in p.walk() if s is not p]
    roles = ", ".join(f"{_marker('', p.label)} {_ROLES_VI.get(p.role or '', 'không rõ')}" for p in outline.root.children)
    found_vi = f"có {len(parts)} phần {_quoted(parts)} ({roles})"
    found_en = f"found {len(parts)} part{'s' if len(parts) > 1 else ''} {_quoted(parts)}"
    if below:
        found_vi += f", {len(below)} đề mục đánh số {_numbering(below)}"
        found_en += f" with {len(below)} headings numbered {_numbering(below)}"
    if not any(s.role in ("targets", "tasks", "implementation") for s in sections):
        return (
            f"không có gì để theo dõi: {found_vi}, nhưng không phần nào nói về {_WANTED_VI} "
            f"(nothing to track: {found_en}, but none on {_WANTED_EN})"
        )
    return (
        f"không có gì để theo dõi: {found_vi}, nhưng không có gạch đầu dòng (-) hay điểm a), b) nào dưới các đề mục "
        f"(nothing to track: {found_en}, but no bullet (-) or lettered point a), b) under them to track)"
    )

