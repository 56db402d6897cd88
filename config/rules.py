"""Assignment rules: which body leads an item and which cooperate, read from ``rules.yaml``.

A rule matches an item when every condition it states holds; a condition listing several
values holds when any of them does. The first matching rule that names a ``lead`` decides the
lead (and its cooperating bodies); every other matching rule without a lead adds its
cooperating bodies. Conditions compare folded text, so "Ủy"/"Uỷ" and case do not matter.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from config.bodies import Code, Registry
from config.errors import ConfigError
from config.folding import fold
from config.validation import Strict, listed, validated
from config.yamlfile import load_mapping

CONDITIONS = ("kind", "part", "section", "section_title", "text")
Word = Annotated[str, Field(min_length=1)]


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

    @property
    def is_default(self) -> bool:
        """A lead with no condition: it decides every item no earlier rule decided."""
        return bool(self.lead) and not (self.kind or self.part or self.section or self.section_title or self.text)


class _When(Strict):
    """The conditions of a rule; each is one word or a list of words."""

    kind: Annotated[tuple[Literal["target", "task", "directive"], ...], BeforeValidator(listed("kinds"))] = ()
    part: Annotated[tuple[Literal["targets", "tasks", "implementation"], ...], BeforeValidator(listed("parts"))] = ()
    section: Annotated[tuple[Word, ...], BeforeValidator(listed("section keys"))] = ()
    section_title: Annotated[tuple[Word, ...], BeforeValidator(listed("words"))] = ()
    text: Annotated[tuple[Word, ...], BeforeValidator(listed("words"))] = ()


class _Entry(Strict):
    """One entry of rules.yaml."""

    id: Word
    description: str = ""
    when: _When = _When()
    lead: Code | None = None
    cooperating: Annotated[tuple[Code, ...], BeforeValidator(listed("body codes"))] = ()

    @model_validator(mode="after")
    def _assigns(self) -> "_Entry":
        if not self.lead and not self.cooperating:
            raise ValueError(f"rule {self.id!r} names no lead and no cooperating body")
        return self

    def rule(self) -> Rule:
        when = self.when
        return Rule(
            id=self.id, description=self.description, lead=self.lead, cooperating=self.cooperating,
            kind=when.kind, part=when.part, section=when.section,
            section_title=tuple(fold(w) for w in when.section_title), text=tuple(fold(w) for w in when.text),
        )


class _RulesFile(Strict):
    rules: Annotated[list[_Entry], Field(min_length=1)]


def load_rules(path: Path, registry: Registry) -> list[Rule]:
    """Load the rules and check them against each other and the registry: unique ids, known
    bodies, and a default at the end so that every item gets a lead."""
    where = f"rules file {path}"
    rules = [entry.rule() for entry in validated(_RulesFile, load_mapping(path, "rules file"), where).rules]
    seen: set[str] = set()
    for index, rule in enumerate(rules, start=1):
        if rule.id in seen:
            raise ConfigError(f"{where}: rules[{index}].id: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
        named = [("lead", rule.lead)] if rule.lead else []
        for key, code in named + [(f"cooperating[{n}]", c) for n, c in enumerate(rule.cooperating, start=1)]:
            if code not in registry.bodies:
                raise ConfigError(f"{where}: rules[{index}].{key}: rule {rule.id!r} names unknown body {code!r}")
    if not rules[-1].is_default:
        raise ConfigError(f"{where}: rules[{len(rules)}]: the last rule must be a default: a lead with no 'when'")
    return rules
