"""Assigning bodies to items by the rules: exactly one lead, and every choice traceable to a rule."""

from dataclasses import dataclass

from config.rules import Rule
from workflows.text import fold


@dataclass(frozen=True)
class Assignment:
    """A body's part in an item and the rule (or ``manual``) that gave it."""

    body: str
    role: str  # "lead" | "cooperating"
    rule: str


def assign(*, kind: str, part: str, section: str, titles: list[str], text: str, rules: list[Rule]) -> list[Assignment]:
    """Return the lead first, then the cooperating bodies, each once and never the lead again."""
    folded_titles = fold(" | ".join(titles))
    folded_text = fold(text)
    lead: Assignment | None = None
    cooperating: dict[str, Assignment] = {}
    for rule in rules:
        if not rule.matches(kind=kind, part=part, section=section, titles=folded_titles, text=folded_text):
            continue
        if rule.lead:
            if lead is not None:
                continue
            lead = Assignment(rule.lead, "lead", rule.id)
        for code in rule.cooperating:
            cooperating.setdefault(code, Assignment(code, "cooperating", rule.id))
    if lead is None:  # load_rules guarantees a default rule; this guards a hand-built list
        raise ValueError("no rule gives this item a lead; the rules need a default")
    cooperating.pop(lead.body, None)
    return [lead, *cooperating.values()]
