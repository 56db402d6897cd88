"""The bodies registry: who can be assigned work, how to reach them, whom they answer to.

Read from ``bodies.yaml`` (setting ``DONDOC_BODIES_FILE``). Validated as a whole when loaded, so
that a typo in an escalation target or an address is refused at start, not at the first
overdue item.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field

from config.errors import ConfigError
from config.folding import fold
from config.validation import Strict, listed, validated
from config.yamlfile import load_mapping

Kind = Literal[
    "standing_committee", "party_committee", "coordinator", "government", "party_group",
    "council", "front", "mass_organisation", "advisory_board", "local_committee",
    "affiliated_committee",
]
KINDS: tuple[str, ...] = get_args(Kind)
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")


def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text)) and len(text) <= 254


def _code(value: Any) -> Any:
    if not isinstance(value, str) or not _CODE.match(value):
        raise ValueError("must be a body code: a capital letter, then capitals, digits or _ (such as UBND)")
    return value


def _address(value: str) -> str:
    if not is_address(value):
        raise ValueError("must be an email address")
    return value


Code = Annotated[str, BeforeValidator(_code)]
"""A body's code, as bodies.yaml, rules.yaml and policy.yaml write it."""
Name = Annotated[str, Field(min_length=1)]


class Body(Strict):
    """A body (cơ quan, đơn vị), as one entry of bodies.yaml."""

    code: Code
    name_vi: Name
    name_en: Name
    kind: Kind
    emails: Annotated[tuple[Annotated[str, AfterValidator(_address)], ...], BeforeValidator(listed("email addresses"))] = ()
    escalates_to: Code | None = None
    aliases: Annotated[tuple[Name, ...], BeforeValidator(listed("names"))] = ()

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi


class _BodiesFile(Strict):
    coordinator: Code
    bodies: Annotated[list[Body], Field(min_length=1)]


@dataclass(frozen=True)
class Registry:
    """All bodies, by code, and which one is the coordinator."""

    bodies: dict[str, Body]
    coordinator: str
    source: Path

    def resolve(self, name: str) -> Body:
        """Find a body by code (any case) or by Vietnamese or English name or alias."""
        code = name.strip().upper()
        if code in self.bodies:
            return self.bodies[code]
        wanted = fold(name)
        for body in self.bodies.values():
            if wanted in {fold(n) for n in (body.name_vi, body.name_en, *body.aliases)}:
                return body
        known = ", ".join(sorted(self.bodies))
        raise ConfigError.of("unknown_body", name=name, known=known)

    def name_of(self, code: str, language: str) -> str:
        """The body's name in ``language`` for a letter or a page; a code the registry no longer
        holds (a body removed since a letter part was stored) is shown as the code itself."""
        body = self.bodies.get(code)
        return body.name(language) if body else code

    def names_of(self, codes: tuple[str, ...] | list[str], language: str) -> list[str]:
        """:meth:`name_of` for each code, in order."""
        return [self.name_of(code, language) for code in codes]


def _check_ladder(bodies: dict[str, Body], where: str) -> None:
    """Every escalation target is listed, and climbing from any body ends at the top."""
    for index, body in enumerate(bodies.values(), start=1):
        path = f"{where}: bodies[{index}].escalates_to"
        if body.escalates_to and body.escalates_to not in bodies:
            raise ConfigError(f"{path}: unknown body {body.escalates_to!r}")
        chain = [body.code]
        step = body.escalates_to
        while step:
            if step in chain:
                raise ConfigError(f"{path}: the escalation loops: {' -> '.join([*chain, step])}")
            chain.append(step)
            step = bodies[step].escalates_to


def load_registry(path: Path) -> Registry:
    """Load and check the registry: unique codes, known escalation targets, no loops."""
    where = f"bodies file {path}"
    data = validated(_BodiesFile, load_mapping(path, "bodies file"), where)
    bodies: dict[str, Body] = {}
    for index, body in enumerate(data.bodies, start=1):
        if body.code in bodies:
            raise ConfigError(f"{where}: bodies[{index}].code: {body.code} is listed twice")
        bodies[body.code] = body
    _check_ladder(bodies, where)
    if data.coordinator not in bodies:
        raise ConfigError(f"{where}: coordinator: {data.coordinator!r} is not a listed body")
    return Registry(bodies, data.coordinator, path)
