"""Turn a programme's text into an outline: parts, numbered sections, bullets and prose.

The text comes from a PDF: lines are hard-wrapped, blank lines and page numbers fall inside
paragraphs, and a range such as "2021 - 2025" wrapped at its hyphen starts a line with "- " like a
bullet. The rules below decide, line by line, whether a line continues the block before it; they
look at the line before (does it end a sentence, does it run to the full width of the page) and at
how the line starts (a marker, a lower-case word, a digit). An unmarked paragraph after a bullet
is the bullet's own second paragraph. Levels are not fixed by marker type:
the first marker type seen under a heading becomes its child level, so documents that number
their parts with roman numerals or nest differently still parse.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from config.errors import DocumentError
from config.folding import fold
from workflows.reading.indicators import heading_target, measurable
from workflows.reading.markers import PART_TYPES, classify, is_caps

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?$", re.IGNORECASE)
_TRAILER = re.compile(r"^(?:T/M|TM\.|KT\.|Nơi nhận\b)")
NOTE = re.compile(r"\(\s*Có\s+phụ\s+lục\b[^()]*\bkèm\s+theo\s*\)\.?", re.IGNORECASE)
"""A cross-reference note ("(Có phụ lục 2 kèm theo)"): kept apart from the item it follows."""
MAX_DEPTH = 20
"""Heading levels a document may nest: a programme has six or seven; a deeper one is refused."""
_TERMINAL = ".;:!?…"
_SENTENCE_END = ".:!?…"

ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("implementation", ("tổ chức thực hiện",)),
    ("tasks", ("nhiệm vụ", "giải pháp")),
    ("targets", ("chỉ tiêu",)),
    ("goals", ("mục tiêu",)),
    ("purpose", ("mục đích", "yêu cầu")),
]
"""What a heading says, in order of precedence, and the role of the part it opens."""


@dataclass
class Block:
    """One logical paragraph: a heading, a bullet or prose, joined across its wrapped lines."""

    kind: str  # "heading" | "bullet" | "prose"
    text: str
    line: int
    marker: str = ""
    marker_type: str = ""


@dataclass
class Section:
    """A numbered heading with what stands under it."""

    label: str
    title: str
    line: int
    marker_type: str
    key: str = ""
    role: str | None = None
    parent: "Section | None" = field(default=None, repr=False)
    children: list["Section"] = field(default_factory=list)
    bullets: list[Block] = field(default_factory=list)
    context: list[str] = field(default_factory=list)

    def walk(self) -> Iterator["Section"]:
        """This section and every one under it, in document order; with a stack, not recursion,
        so that no depth of nesting can exhaust Python's stack."""
        pending: list[Section] = [self]
        while pending:
            node = pending.pop()
            yield node
            pending.extend(reversed(node.children))

    def path(self) -> list["Section"]:
        """The sections from the part down to this one."""
        chain: list[Section] = []
        node: Section | None = self
        while node is not None and node.parent is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class Outline:
    """The parsed document: its front matter (title lines) and a root whose children are parts."""

    front: list[str]
    root: Section
    width: int


_FOLDED_ROLE_WORDS = [(role, tuple(fold(word) for word in words)) for role, words in ROLE_WORDS]


def role_of(title: str) -> str | None:
    """The role a heading's words give its part (see ROLE_WORDS), or None."""
    folded = fold(title)
    for role, words in _FOLDED_ROLE_WORDS:
        if any(word in folded for word in words):
            return role
    return None


def goal_target(role: str | None, text: str) -> str | None:
    """``"target"`` for a bullet under a goals part ("MỤC TIÊU ĐẾN NĂM 2030") that holds a value
    with a unit or % ("Phấn đấu 100% đơn vị ..."); None for one with no figure, a general aim that
    stays the section's context."""
    return "target" if role == "goals" and measurable(text) else None


class _Lines:
    """Line-level facts that the joining rules need, computed once per document."""

    def __init__(self, lines: list[str]) -> None:
        lengths = sorted(len(line) for line in lines if len(line) > 20)
        self.width = lengths[int(len(lengths) * 0.9)] if lengths else 80
        self.full = max(30, int(self.width * 0.6))

    def is_full(self, line: str) -> bool:
        """Did this line run to the page margin, so that its sentence wrapped onto the next?"""
        return len(line) >= self.full


def _last_word_capitalised(line: str) -> bool:
    words = line.split()
    return bool(words) and words[-1][:1].isupper()


def _continues(prev: str, rest: str, facts: _Lines) -> bool:
    """Is a line that starts with a marker really the wrapped tail of ``prev``?

    "... giai đoạn 2021" / "- 2025 đạt 6,8%" and "... đoạn Nha Trang" / "- Cam Lâm" are ranges
    wrapped at their hyphen; "... trở lên." / "- GRDP ..." is a new bullet.
    """
    if not prev or prev[-1] in _TERMINAL or not facts.is_full(prev):
        return False
    first = rest[:1]
    if first.isdigit() or first.islower():
        return True
    return first.isupper() and _last_word_capitalised(prev)


def _join(text: str, line: str) -> str:
    """Join a wrapped line: "18-" + "KL/TW" is one word, "2020 -" + "2025" two."""
    if text.endswith("-") and len(text) > 1 and not text[-2].isspace():
        return text + line
    return f"{text} {line}"


def _is_page_number(lines: list[str], i: int) -> bool:
    if not _PAGE_NUMBER.match(lines[i]):
        return False
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    return before == "" or after == ""


def _joins(current: Block, prev: str, line: str, kind: str, marker_type: str, rest: str, gap: bool, facts: _Lines) -> bool:
    """Does ``line`` continue the block ``current``, whose last line was ``prev``?

    - A marked line (bullet, heading) continues only as the wrapped tail of a range.
    - With no blank line between, prose continues its block, except that a short heading line
      followed by a capitalised line has ended (its title, then its first sentence).
    - Across a blank line or a page number, a block continues when its last line did not end a
      sentence and the new line reads on: it starts in lower case or with a digit, or the block
      is not a heading and its last line ran to the margin.
    - A cross-reference note on a line of its own neither joins nor is joined.
    """
    if kind != "prose":
        return marker_type != "part" and _continues(prev, rest, facts)
    if NOTE.fullmatch(line) or NOTE.fullmatch(current.text):
        return False
    starts_upper = line[:1].isupper()
    if not gap:
        return not (current.kind == "heading" and not facts.is_full(prev) and starts_upper)
    if prev[-1] == ";":
        return line[:1].islower()
    if prev[-1] in _SENTENCE_END:
        return False
    return not starts_upper or (current.kind != "heading" and facts.is_full(prev))


def blocks(lines: list[str], start: int, facts: _Lines) -> Iterator[Block]:
    """Group lines (from ``start``) into blocks, following the joining rules of the module doc."""
    current: Block | None = None
    prev = ""
    gap = False
    for i in range(start, len(lines)):
        line = lines[i]
        if not line or _is_page_number(lines, i):
            gap = True
            continue
        if _TRAILER.match(line):
            break
        kind, marker_type, marker, rest = classify(line)
        if kind == "heading" and is_caps(rest) and marker_type in PART_TYPES:
            marker_type = "part"
        joined = current is not None and _joins(current, prev, line, kind, marker_type, rest, gap, facts)
        if joined and current is not None:
            current.text = _join(current.text, line)
        else:
            if current is not None:
                yield current
            current = Block("prose", line, i + 1) if kind == "prose" else Block(kind, rest, i + 1, marker, marker_type)
        prev = line
        gap = False
    if current is not None:
        yield current


def first_part(lines: list[str]) -> int:
    """Index of the first part heading (a marked, all-capitals heading whose words give a role)."""
    for i, line in enumerate(lines):
        kind, marker_type, _, rest = classify(line)
        if kind == "heading" and marker_type in PART_TYPES and is_caps(rest) and role_of(rest):
            return i
    return len(lines)


def _section_key(parent: Section, label: str) -> str:
    if parent.parent is None:
        return label
    if label.startswith(parent.label + ".") and parent.marker_type != "part":
        return parent.key[: len(parent.key) - len(parent.label)] + label
    return f"{parent.key}.{label}"


def _child_role(parent: Section, title: str) -> str | None:
    own = role_of(title)
    if parent.parent is None:
        return own
    if parent.role in ("targets", "goals") and own in ("targets", "goals"):
        return own
    return parent.role


def build(text: str) -> Outline:
    """Parse normalised text into an :class:`Outline`."""
    lines = text.split("\n")
    facts = _Lines(lines)
    start = first_part(lines)
    root = Section(label="", title="", line=0, marker_type="root")
    stack: list[Section] = [root]
    seen: dict[str, int] = {}
    last_kind = ""
    for block in blocks(lines, start, facts):
        top = stack[-1]
        follows_bullet, last_kind = last_kind == "bullet", block.kind
        if block.kind == "heading":
            if block.marker_type == "part":
                del stack[1:]
            else:
                types = [s.marker_type for s in stack]
                if block.marker_type in types:
                    del stack[types.index(block.marker_type):]
            if len(stack) > MAX_DEPTH:
                raise DocumentError(
                    f"line {block.line}: headings nested more than {MAX_DEPTH} levels deep; "
                    "a programme has six or seven (is this an action programme?)"
                )
            parent = stack[-1]
            section = Section(block.marker, block.text, block.line, block.marker_type, parent=parent)
            section.key = _section_key(parent, block.marker)
            if section.key in seen:  # a document that numbers a heading twice: C, then C~2
                seen[section.key] += 1
                section.key = f"{section.key}~{seen[section.key]}"
            seen[section.key] = 1
            section.role = _child_role(parent, block.text)
            parent.children.append(section)
            stack.append(section)
        elif block.kind == "bullet":
            if block.marker == "+" and top.bullets:
                top.bullets[-1].text += "\n+ " + block.text
            else:
                top.bullets.append(block)
        elif follows_bullet and top.bullets and not block.text.endswith(":") and not NOTE.fullmatch(block.text):
            top.bullets[-1].text += " " + block.text  # its second paragraph; one ending ":" introduces
        else:
            top.context.append(block.text)
    _targets_in_headings(root)
    return Outline(front=lines[:start], root=root, width=facts.width)


def _targets_in_headings(root: Section) -> None:
    """A targets heading that states its target ("2.3. Về giáo dục: Phấn đấu đạt ít nhất 80% ...")
    keeps its name as its title, and its target becomes its first item. A lettered point that is
    the last level is an item by itself already (``lettering.point_kind``)."""
    for section in root.walk():
        if section.role != "targets" or section.marker_type in ("root", "part"):
            continue
        if section.marker_type == "letter" and not section.children and not section.bullets:
            continue
        split = heading_target(section.title)
        if split:
            section.title = split[0]
            section.bullets.insert(0, Block("bullet", split[1], section.line, "", "heading"))
