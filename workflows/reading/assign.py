"""Assigning bodies to items: exactly one lead, and every choice traceable to what made it.

What the document says comes first: a body heading, a responsibility line or a table column that
names a body the registry knows makes it the lead (rule ``named: block heading (Sở Tài chính)``),
and the bodies it names to cooperate cooperate. The keyword rules (``rules.yaml``) are the
fallback: for an item the document names nobody for, and for one whose named lead the registry
does not know (rule ``named body not in registry: Sở Khoa học và Công nghệ; fallback: default``:
the rules of its place, without its text's keywords).
The rule text carries the named words because the database stores the rule, not the item's
``lead_named``.
"""

import re

from config.bodies import Registry
from config.folding import fold
from config.rules import Rule
from models.programme import RuleAssignment
from workflows.reading.body_names import is_body
from workflows.reading.named_bodies import Named
from workflows.reading.registry_lookup import resolve

RULE_WIDTH = 80
"""The width of ``assignment.rule`` in the database; a longer name is shortened with "…"."""


def assign(
    *, kind: str, part: str, section: str, titles: list[str], text: str, rules: list[Rule],
    named: Named | None = None, registry: Registry | None = None,
) -> list[RuleAssignment]:
    """Return the lead first, then the cooperating bodies, each once and never the lead again.
    ``named`` (the bodies the document names) takes precedence when ``registry`` knows its lead."""
    by_rules = _by_rules(kind=kind, part=part, section=section, titles=titles, text=text, rules=rules)
    if named is None or registry is None:
        return by_rules
    cooperating = [
        RuleAssignment(code, "cooperating", _fit(f"named: {named.where} (", part, ")"))
        for name in named.cooperating
        for part, code in _known_parts(name, registry)
    ]
    lead_code = resolve(named.lead, registry)
    if lead_code is not None:
        lead = RuleAssignment(lead_code, "lead", _fit(f"named: {named.where} (", named.lead, ")"))
        return _unique([lead, *cooperating])
    # the default rule of the item's place, not the keywords of its text: a text names the bodies
    # it reports to ("... báo cáo Ban Thường vụ Tỉnh ủy"), which the document has just said do not lead
    by_place = _by_rules(kind=kind, part=part, section=section, titles=titles, text="", rules=rules)
    fallback = by_place[0]
    lead = RuleAssignment(
        fallback.body, "lead", _fit("named body not in registry: ", named.lead, f"; fallback: {fallback.rule}")
    )
    return _unique([lead, *cooperating, *by_place[1:]])


def _known_parts(name: str, registry: Registry) -> list[tuple[str, str]]:
    """The bodies the registry knows in a name as listed, with their codes: the name itself, or,
    when the registry does not know it whole, its pieces cut at each comma that a name the registry
    knows (or any body's name) follows ("Sở Nội vụ, Ủy viên Ban Chấp hành Đảng bộ tỉnh": a list read as one name because
    its second body starts with no body's word)."""
    code = resolve(name, registry)
    if code is not None or ("," not in name and ";" not in name):
        return [(name, code)] if code else []
    found: list[tuple[str, str]] = []
    pieces = [piece.strip() for piece in re.split(r"[,;]", name)]
    current = pieces[0]
    for piece in [*pieces[1:], None]:
        if piece is not None and not is_body(piece) and resolve(piece, registry) is None:
            current += ", " + piece
            continue
        if (known := resolve(current, registry)) is not None:
            found.append((current, known))
        current = piece or ""
    return found


def _fit(before: str, name: str, after: str) -> str:
    """``before + name + after`` in at most :data:`RULE_WIDTH` characters, the name cut if need be."""
    room = RULE_WIDTH - len(before) - len(after)
    if len(name) > room:
        name = name[: max(room - 1, 0)].rstrip() + "…"
    return (before + name + after)[:RULE_WIDTH]


def _unique(assignments: list[RuleAssignment]) -> list[RuleAssignment]:
    """The lead, then each cooperating body once, never the lead again."""
    seen: dict[str, RuleAssignment] = {}
    for assignment in assignments:
        seen.setdefault(assignment.body, assignment)
    return list(seen.values())


def _by_rules(*, kind: str, part: str, section: str, titles: list[str], text: str, rules: list[Rule]) -> list[RuleAssignment]:
    """The keyword rules: the first applying rule with a lead leads, every applying rule adds its
    cooperating bodies."""
    folded_titles = fold(" | ".join(titles))
    folded_text = fold(text)
    lead: RuleAssignment | None = None
    cooperating: dict[str, RuleAssignment] = {}
    for rule in rules:
        if not rule.matches(kind=kind, part=part, section=section, titles=folded_titles, text=folded_text):
            continue
        if rule.lead:
            if lead is not None:
                continue
            lead = RuleAssignment(rule.lead, "lead", rule.id)
        for code in rule.cooperating:
            cooperating.setdefault(code, RuleAssignment(code, "cooperating", rule.id))
    if lead is None:  # load_rules guarantees a default rule; this guards a hand-built list
        raise ValueError("no rule gives this item a lead; the rules need a default")
    cooperating.pop(lead.body, None)
    return [lead, *cooperating.values()]
