"""Assignment rules: which body leads an item and which cooperate, read from ``rules.yaml``.

A rule matches an item when every condition it states holds; a condition listing several
values holds when any of them does. The first matching rule that names a ``lead`` decides the
lead (and its cooperating bodies); every other matching rule without a lead adds its
cooperating bodies. Conditions compare folded text, so "Ủy"/"Uỷ" and case do not matter.
"""

from dataclasses import dataclass
from pathlib import Path

from config.bodies import Registry
from config.errors import ConfigError
from config.folding import fold
from config.yamlfile import load_mapping

CONDITIONS = ("kind", "part", "section", "section_title", "text")


@dataclass(frozen=True)
class Rule:
    """One rule; empty conditions match everything."""

    id: str
    description: str
    lead: str | None
    cooperating: tuple[str, ...]
    kind: tuple[str, ...] = ()
    part: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    section_title: tuple[str, ...] = ()
    text: tuple[str, ...] = ()

    def matches(self, *, kind: str, part: str, section: str, titles: str, text: str) -> bool:
        """Does this rule apply? ``titles`` and ``text`` are folded already."""
        return (
            (not self.kind or kind in self.kind)
            and (not self.part or part in self.part)
            and (not self.section or any(section == s or section.startswith(s + ".") for s in self.section))
            and (not self.section_title or any(w in titles for w in self.section_title))
            and (not self.text or any(w in text for w in self.text))
        )


def _strings(value: object, rule_id: str, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: rule {rule_id!r}: {field} must be a word or a list of words")
    return tuple(value)


def load_rules(path: Path, registry: Registry) -> list[Rule]:
    """Load the rules and check that every body they name is in the registry."""
    where = f"rules file {path}"
    data = load_mapping(path, "rules file")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ConfigError(f"{where}: expected a non-empty list 'rules'")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules, start=1):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ConfigError(f"{where}: rule number {index} needs an id")
        rule_id = str(raw["id"])
        if rule_id in seen:
            raise ConfigError(f"{where}: rule id {rule_id!r} is used twice")
        seen.add(rule_id)
        when = raw.get("when") or {}
        if not isinstance(when, dict) or set(when) - set(CONDITIONS):
            raise ConfigError(
                f"{where}: rule {rule_id!r}: 'when' takes only {', '.join(CONDITIONS)}"
            )
        lead = raw.get("lead")
        cooperating = _strings(raw.get("cooperating"), rule_id, "cooperating", where)
        for code in ([lead] if lead else []) + list(cooperating):
            if code not in registry.bodies:
                raise ConfigError(f"{where}: rule {rule_id!r} names unknown body {code!r}")
        if not lead and not cooperating:
            raise ConfigError(f"{where}: rule {rule_id!r} names no lead and no cooperating body")
        conditions = {name: _strings(when.get(name), rule_id, name, where) for name in CONDITIONS}
        rules.append(
            Rule(
                id=rule_id,
                description=str(raw.get("description", "")),
                lead=lead,
                cooperating=cooperating,
                kind=conditions["kind"],
                part=conditions["part"],
                section=conditions["section"],
                section_title=tuple(fold(w) for w in conditions["section_title"]),
                text=tuple(fold(w) for w in conditions["text"]),
            )
        )
    if not any(r.lead and not (r.kind or r.part or r.section or r.section_title or r.text) for r in rules):
        raise ConfigError(f"{where}: the last rule must be a default: a lead with no 'when'")
    return rules
