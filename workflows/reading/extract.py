"""Pick the work items out of an outline: targets, tasks and directives, with stable keys.

A bullet under a targets section is a target, under the tasks part a task; under the
implementation part each numbered point that has nothing under it is a directive, and so is each
bullet there. Prose stays with its section as context. Keys come from position: the section key
and the bullet's rank in it (``C.I.1.1.2``), or the point's own key (``D.III``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from config.errors import DocumentError
from models.programme import SectionInfo
from workflows.reading.lettering import point_kind
from workflows.reading.named_bodies import OWN, Named, duty_named, heading_named, name_bullets, own_named, split_tail
from workflows.reading.outline import NOTE, Outline, Section, goal_target
from workflows.reading.refusals import nothing_to_track

ITEM_KIND_BY_ROLE = {"targets": "target", "tasks": "task", "implementation": "directive"}


@dataclass(frozen=True)
class RawItem:
    """An item as it stands in the document, before deadlines and bodies are worked out."""

    key: str
    kind: str
    section: str
    section_titles: tuple[str, ...]
    text: str
    line: int
    position: int
    named: Named | None = None
    """The bodies the document names for it (a body heading, a responsibility line), if any."""


def _named_heading(node: Section) -> Named | None:
    """The innermost heading above (or of) ``node`` that is a body's name ("3. Sở Tài chính:")."""
    return next((named for s in reversed(node.path()) if (named := heading_named(s.title))), None)


def _apart(text: str) -> tuple[str, list[str]]:
    """An item's text without its cross-reference notes ("(Có phụ lục 2 kèm theo)"), and the notes,
    which stay with the section: they point at an appendix, they are not work to chase."""
    notes = [match.group(0) for match in NOTE.finditer(text)]
    if not notes:
        return text, notes
    return " ".join(NOTE.sub(" ", text).split()), notes


def extract(outline: Outline, heads: Sequence[tuple[int, Named]] = ()) -> tuple[list[SectionInfo], list[RawItem]]:
    """Return the sections and the items of an outline, in document order; ``heads`` are the
    unnumbered body headings (``named_bodies.prose_headings``) that name the bullets below them.
    An outline with no item is refused, saying what was found (parts, numbering) and what was missing."""
    sections, items = outline_items(outline, heads)
    if not items:
        raise DocumentError(nothing_to_track(outline, sections))
    return sections, items


def outline_items(outline: Outline, heads: Sequence[tuple[int, Named]] = ()) -> tuple[list[SectionInfo], list[RawItem]]:
    """The sections and items of an outline (see ``extract``), with no item at all allowed: a
    programme may list all its tasks in an appendix table (``parse_programme`` decides)."""
    sections: list[SectionInfo] = []
    items: list[RawItem] = []
    groups = _PointGroups()
    for node in outline.root.walk():
        if node.parent is None:
            continue
        parent_key = node.parent.key or None
        titles = tuple(s.title for s in node.path())
        point = point_kind(node)  # a directive, or a lettered point that is a task or target by itself
        if point:
            groups.add(node, point, parent_key or node.key, titles[:-1], items)
            continue
        kind = ITEM_KIND_BY_ROLE.get(node.role or "")
        context = list(node.context)
        named = name_bullets(node.line, _named_heading(node) if kind else None,
                             [(b.line, b.text) for b in node.bullets], heads) if node.bullets else []
        for rank, (bullet, own) in enumerate(zip(node.bullets, named, strict=True), start=1):
            own_kind = kind or goal_target(node.role, bullet.text)  # a goal with a figure is a target
            if own_kind is None:
                context.append(bullet.text)
                continue
            text, notes = _apart(own.text)
            context.extend([*notes, *own.apart])
            items.append(RawItem(f"{node.key}.{rank}", own_kind, node.key, titles, text, bullet.line, len(items), own.named))
        sections.append(
            SectionInfo(node.key, parent_key, node.label, node.title, node.role, tuple(context), node.line, len(sections))
        )
    return groups.with_lines(sections), items


class _PointGroups:
    """Lettered points that are items, read as bullets are: a responsibility line after a group of
    them ("a) ... e) ...", then "Giao X chủ trì, phối hợp với Y ...") is not part of the last
    point's text, goes with their section's prose, and names the lead and cooperating bodies of
    every point of the group that does not name its own."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}
        self.group: list[int] = []
        self.parent: str | None = None

    def add(self, node: Section, kind: str, section: str, titles: tuple[str, ...], items: list[RawItem]) -> None:
        text = " ".join([node.title, *node.context])
        named = own_named(node.title) or _named_heading(node)
        tail, is_duty = None, False
        if node.marker_type == "letter":
            if section != self.parent:
                self.group, self.parent = [], section
            text, tail, is_duty = split_tail(text)
            named = own_named(text) or _named_heading(node)
            self.group.append(len(items))
        items.append(RawItem(node.key, kind, section, titles, text, node.line, len(items), named))
        if tail is None:
            return
        self.lines.setdefault(section, []).append(tail)
        duty = duty_named(tail) if is_duty else None
        for index in self.group if duty is not None else ():
            own = items[index]
            if own.named is None or own.named.where not in OWN:
                items[index] = replace(own, named=duty)
        self.group = []

    def with_lines(self, sections: list[SectionInfo]) -> list[SectionInfo]:
        """The sections, each with the responsibility lines of its points after its prose."""
        if not self.lines:
            return sections
        return [replace(s, context=(*s.context, *self.lines[s.key])) if s.key in self.lines else s for s in sections]
