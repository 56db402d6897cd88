"""Assigning bodies to items by the rules: exactly one lead, and every choice traceable to a rule."""

from config.folding import fold
from config.rules import Rule
from models.programme import RuleAssignment


def assign(*, kind: str, part: str, section: str, titles: list[str], text: str, rules: list[Rule]) -> list[RuleAssignment]:
    """Return the lead first, then the cooperating bodies, each once and never the lead again."""
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
