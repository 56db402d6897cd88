"""Tasks and targets that a programme lists in tables: after its signature (PHỤ LỤC, "Danh mục
nhiệm vụ", "Biểu chỉ tiêu") and in its body, under a heading.

Every reader writes a table the same way: one line per row, its cells joined by " | " (python-docx
rows, Markdown pipe tables, a plain text typed so). Each table is read by its header (one row or
two, roles by meaning: ``appendix_headers``) and its rows by ``appendix_reader``:

- After the signature ("T/M", "KT.", "Nơi nhận") the outline stops; a table there is an appendix,
  ``source="appendix"``, its items keyed ``PL<n>.<group>.<TT>``. The appendix and each group
  become sections.
- Before it, a task or target table sits under the heading above it: its rows are taken out of the
  text the outline reads (they are no paragraph) and become items of that heading's section,
  ``source="body"``, keyed ``<heading>.T<n>.<TT>``.

A programme may keep every task in its appendix and say only "(Có phụ lục kèm theo)" in its body:
its items are the appendix's. A table whose headers name no task or target column stays text (a
debug note); when nothing in the document is an item, ``Unread`` says why each table gave none.
Every other line after the signature is kept where a person can read it: a note under a table, a
paragraph between two, the lines of a table it cannot make out go to the notes (``context``) of
the appendix section they follow; an appendix with no table is a section of its own, its lines
its notes, and is named when the document is refused. None becomes an item. Only the signature
block, the lines before the first appendix, is left out.
"""

import logging
from dataclasses import dataclass, field, replace
from datetime import date

from config.bodies import Registry
from config.policy import Policy
from config.rules import Rule
from models.programme import ParsedItem, SectionInfo, Term
from workflows.reading.appendix_headers import Header, header_of
from workflows.reading.appendix_reader import Context, Place, TableReader
from workflows.reading.appendix_tables import (
    Table,
    after_signature,
    is_appendix,
    joined,
    loose,
    name_of,
    naming,
    tables_before_signature,
)
from workflows.reading.outline import first_part

log = logging.getLogger(__name__)

BodyTable = tuple[Table, Header]


@dataclass(frozen=True)
class Unread:
    """A table that gave no item: its name, its first line, and its header's cells when no column
    named a task or a target (else ``()``: the header was read, its rows held no task)."""

    name: str
    line: int
    columns: tuple[str, ...]
    table: bool = True
    """False for an appendix with no table at all (kept as text)."""


def body_tables(text: str) -> tuple[str, list[BodyTable]]:
    """The task and target tables before the signature, and the text without their rows (blank
    lines in their place, so that every other line keeps its number) for the outline to read.

    Above the first part, where the heading block stands (often a borderless table in Word: "Số
    15-KH/TU V/v thực hiện nhiệm vụ ... | Khánh Hòa, ngày ..."), only a table with a TT column
    counts: a heading block's words can look like a task and a year, never like a row number."""
    tables = tables_before_signature(text)
    if not tables:
        return text, []
    lines = text.split("\n")
    body = first_part(lines) + 1
    found = [
        (table, header) for table in tables
        if (header := header_of(table.rows)) and (table.rows[0][0] > body or any(c.role == "tt" for c in header.columns))
    ]  # fmt: skip
    if not found:
        return text, []
    for table, _ in found:
        for line, _ in table.rows:
            lines[line - 1] = ""
    return "\n".join(lines), found


def with_appendices(
    text: str, body: list[BodyTable], *, term: Term, start: date, policy: Policy, rules: list[Rule],
    sections: list[SectionInfo], items: list[ParsedItem], registry: Registry | None = None,
) -> tuple[list[SectionInfo], list[ParsedItem], list[Unread]]:
    """The body's sections and items with its tables' in document order, followed by the
    appendices'; and the appendix tables that gave no item (the one call ``parse_programme`` makes)."""
    context = Context(term, start, policy.urgent_days, policy.reporting_cadence, rules, registry)
    if body:
        sections, items = _with_body_tables(body, context, sections, items)
    more_sections, more_items, unread = read_appendices(text, context, first_section=len(sections), first_item=len(items))
    return [*sections, *more_sections], [*items, *more_items], unread


def read_appendices(
    text: str, context: Context, *, first_section: int, first_item: int
) -> tuple[list[SectionInfo], list[ParsedItem], list[Unread]]:
    """The sections and items of every task or target table after the signature (see the module
    doc). Every other line there is kept, in document order, as the notes of the appendix section
    it follows; an appendix with no table it can read is a section of its own, its lines its notes.
    Only the signature block (the lines before the first appendix) is left out."""
    tables, tail = after_signature(text)
    kept = _Kept(first_section)
    items: list[ParsedItem] = []
    for table in tables:
        start = naming(table.above)
        kept.loose(table.above[:start], table.lines[:start])
        above, lines = table.above[start:], table.lines[start:]
        header = header_of(table.rows)
        name, number, notes = name_of(above)
        if header is None:
            log.debug("table at line %d (%s): no task or target column in its header; left as text", table.rows[0][0], name)
            kept.unread.append(Unread(name, table.rows[0][0], tuple(c for c in table.rows[0][1] if c)))
            rows = [" | ".join(cells) for _, cells in table.rows]
            titled = any(is_appendix(line) for line in above)
            if kept.last is None and not titled:
                continue  # the signature block laid out as a table ("Nơi nhận" | "T/M BAN THƯỜNG VỤ")
            if kept.last is not None and not titled:
                kept.follow(above + rows)  # a table the reader could not make out: the text of the one before
            else:
                kept.text_section(lines[0] if lines else table.rows[0][0], name, number, notes + rows)
            continue
        if number is None or number in kept.used:
            number = max(kept.used, default=0) + 1
        kept.used.add(number)
        name = name or f"Phụ lục {number}"
        reader = TableReader(context, Place(f"PL{number}", f"PL{number}", (name,), name), header.columns, header.kind)
        kept.section(
            SectionInfo(f"PL{number}", None, str(number), name, header.kind, (),
                        table.rows[header.end - len(header.rows)][0], 0), notes,
        )  # fmt: skip
        for line, cells in joined(table, header):
            reader.row(line, cells)
        if not reader.items:
            kept.unread.append(Unread(name, table.rows[0][0], ()))
        kept.groups(reader.groups)
        base = first_item + len(items)
        items.extend(replace(item, position=base + rank) for rank, item in enumerate(reader.items))
    kept.loose(tail.above, tail.lines)
    return kept.done(), items, kept.unread


@dataclass
class _Kept:
    """The sections read after the signature, in document order, and the lines kept as their notes."""

    first: int
    sections: list[SectionInfo] = field(default_factory=list)
    notes: dict[int, list[str]] = field(default_factory=dict)
    last: int | None = None
    """The appendix section that loose lines follow (``None``: before the first, the signature block)."""
    numbered_later: list[tuple[int, int | None]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    unread: list[Unread] = field(default_factory=list)

    def section(self, section: SectionInfo, notes: list[str]) -> None:
        self.last = len(self.sections)
        self.notes[self.last] = list(notes)
        self.sections.append(replace(section, position=self.first + self.last))

    def groups(self, groups: list[SectionInfo]) -> None:
        base = self.first + len(self.sections)
        self.sections.extend(replace(group, position=base + rank) for rank, group in enumerate(groups))

    def follow(self, lines: list[str]) -> None:
        if self.last is not None:
            self.notes[self.last].extend(lines)

    def text_section(self, line: int, name: str, number: int | None, notes: list[str]) -> None:
        """An appendix kept as text: numbered once the tables have taken their numbers, so that
        a table's keys are what they were before its neighbours were kept."""
        self.numbered_later.append((len(self.sections), number))
        self.section(SectionInfo("", None, "", name, None, (), line, 0), notes)

    def loose(self, lines: list[str], numbers: list[int]) -> None:
        before, appendices = loose(lines, numbers)
        self.follow(before)
        for line, name, number, notes in appendices:
            self.unread.append(Unread(name, line, (), table=False))
            self.text_section(line, name, number, notes)

    def done(self) -> list[SectionInfo]:
        for index, number in self.numbered_later:
            if number is None or number in self.used:
                number = max(self.used, default=0) + 1
            self.used.add(number)
            title = self.sections[index].title or f"Phụ lục {number}"
            self.sections[index] = replace(self.sections[index], key=f"PL{number}", label=str(number), title=title)
        for index, notes in self.notes.items():
            self.sections[index] = replace(self.sections[index], context=tuple(notes))
        return self.sections


def _with_body_tables(
    body: list[BodyTable], context: Context, sections: list[SectionInfo], items: list[ParsedItem]
) -> tuple[list[SectionInfo], list[ParsedItem]]:
    """Each body table's rows as items of the heading above it (a table above every heading is a
    section of its own, ``T<n>``), merged with the outline's in the order of their lines."""
    by_key = {s.key: s for s in sections}
    counts: dict[str, int] = {}
    more_sections: list[SectionInfo] = []
    more_items: list[ParsedItem] = []
    for table, header in body:
        first = table.rows[0][0]
        above = next((s for s in reversed(sections) if s.line < first), None)
        owner = above.key if above else ""
        counts[owner] = counts.get(owner, 0) + 1
        number = counts[owner]
        if above is None:
            name = name_of(table.above)[0] or f"Bảng {number}"
            place = Place(f"T{number}", f"T{number}", (name,))
            more_sections.append(SectionInfo(place.section, None, str(number), name, header.kind, (), first, 0))
        else:
            place = Place(f"{above.key}.T{number}", above.key, _titles(above, by_key))
        reader = TableReader(context, place, header.columns, header.kind)
        for line, cells in joined(table, header):
            reader.row(line, cells)
        more_sections.extend(reader.groups)
        more_items.extend(reader.items)
    ordered = sorted([*sections, *more_sections], key=lambda s: s.line)
    merged = sorted([*items, *more_items], key=lambda i: i.line)
    return (
        [replace(s, position=rank) for rank, s in enumerate(ordered)],
        [replace(i, position=rank) for rank, i in enumerate(merged)],
    )


def _titles(section: SectionInfo, by_key: dict[str, SectionInfo]) -> tuple[str, ...]:
    """The titles from the part down to ``section``, as an item under it carries them."""
    titles: list[str] = []
    node: SectionInfo | None = section
    while node is not None:
        titles.append(node.title)
        node = by_key.get(node.parent) if node.parent else None
    return tuple(reversed(titles))
