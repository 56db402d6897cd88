"""The bodies registry: who can be assigned work, how to reach them, whom they answer to.

Read from ``bodies.yaml`` (setting ``DONDOC_BODIES_FILE``). Validated as a whole when loaded, so
that a typo in an escalation target or an address is refused at start, not at the first
overdue item.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from config.errors import ConfigError
from config.folding import fold
from config.yamlfile import load_mapping

KINDS = (
    "standing_committee", "party_committee", "coordinator", "government", "party_group",
    "council", "front", "mass_organisation", "advisory_board", "local_committee",
    "affiliated_committee",
)
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")


@dataclass(frozen=True)
class Body:
    """A body (cơ quan, đơn vị)."""

    code: str
    name_vi: str
    name_en: str
    kind: str
    emails: tuple[str, ...]
    escalates_to: str | None
    aliases: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi


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
        raise ConfigError(f"unknown body {name!r}; the bodies are: {known}")


def is_address(text: str) -> bool:
    return bool(_ADDRESS.match(text)) and len(text) <= 254


def _body(raw: object, index: int, where: str) -> Body:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: body number {index} is not a mapping")
    code = str(raw.get("code", ""))
    if not _CODE.match(code):
        raise ConfigError(f"{where}: body number {index} has code {code!r}; a code is A-Z, 0-9, _")
    missing = [k for k in ("name_vi", "name_en", "kind") if not raw.get(k)]
    if missing:
        raise ConfigError(f"{where}: body {code} has no {', '.join(missing)}")
    if raw["kind"] not in KINDS:
        raise ConfigError(f"{where}: body {code} has kind {raw['kind']!r}; kinds are {', '.join(KINDS)}")
    emails = raw.get("emails") or []
    if isinstance(emails, str):
        emails = [emails]
    for address in emails:
        if not isinstance(address, str) or not is_address(address):
            raise ConfigError(f"{where}: body {code} has {address!r}, which is not an email address")
    unknown = set(raw) - {"code", "name_vi", "name_en", "kind", "emails", "escalates_to", "aliases"}
    if unknown:
        raise ConfigError(f"{where}: body {code} has unknown field(s) {', '.join(sorted(unknown))}")
    return Body(
        code=code,
        name_vi=str(raw["name_vi"]),
        name_en=str(raw["name_en"]),
        kind=str(raw["kind"]),
        emails=tuple(emails),
        escalates_to=raw.get("escalates_to") or None,
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
    )


def load_registry(path: Path) -> Registry:
    """Load and check the registry: unique codes, known escalation targets, no loops."""
    where = f"bodies file {path}"
    data = load_mapping(path, "bodies file")
    raw_bodies = data.get("bodies")
    if not isinstance(raw_bodies, list) or not raw_bodies:
        raise ConfigError(f"{where}: expected a non-empty list 'bodies'")
    bodies: dict[str, Body] = {}
    for index, raw in enumerate(raw_bodies, start=1):
        body = _body(raw, index, where)
        if body.code in bodies:
            raise ConfigError(f"{where}: body {body.code} is listed twice")
        bodies[body.code] = body
    for body in bodies.values():
        if body.escalates_to and body.escalates_to not in bodies:
            raise ConfigError(f"{where}: body {body.code} escalates to unknown body {body.escalates_to!r}")
        seen = {body.code}
        step = body.escalates_to
        while step:
            if step in seen:
                raise ConfigError(f"{where}: the escalation of {body.code} loops back through {step}")
            seen.add(step)
            step = bodies[step].escalates_to
    coordinator = str(data.get("coordinator", ""))
    if coordinator not in bodies:
        raise ConfigError(f"{where}: coordinator {coordinator!r} is not a listed body")
    return Registry(bodies, coordinator, path)
