"""Checking a configuration file against its pydantic model, with one line a coordinator can act on.

Every model of a data file derives from :class:`Strict`: unknown keys are refused at every level
(a typo must not be silently ignored), and types are strict (``"false"`` is not a boolean, ``"5"``
is not a number). The first problem becomes one line naming the file and the key path, with list
positions counted from 1 as a person counts them: ``bodies file F: bodies[3].aliases: must be a
list of names, not 5``.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from config.errors import ConfigError


class Strict(BaseModel):
    """A part of a configuration file: no unknown keys, no coercion, immutable once read."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Model = TypeVar("Model", bound=BaseModel)

_SAYS = {
    "extra_forbidden": "unknown key",
    "missing": "missing",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "date_type": "must be a date such as 2021-01-01",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
}
_SCALARS = (int, float, date)


def listed(what: str) -> Callable[[Any], Any]:
    """A before-validator for a list of ``what`` that may also be written as one value."""

    def one_or_many(value: Any) -> Any:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list | tuple):
            raise ValueError(f"must be a list of {what}")
        return tuple(value)

    return one_or_many


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _says(error: ErrorDetails) -> str:
    """What is wrong, in words, and the value found when showing it helps."""
    kind = error["type"]
    message = _SAYS.get(kind) or str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")
    value = error.get("input")
    if kind in ("extra_forbidden", "missing", "too_short", "string_too_short") or isinstance(value, BaseModel | dict):
        return message
    if value is None:
        return f"{message}, not empty"
    shown = repr(value) if isinstance(value, str | list | tuple) else str(value) if isinstance(value, _SCALARS) else type(value).__name__
    if shown in message:
        return message
    return f"{message}, not {shown[:60] + '...' if len(shown) > 60 else shown}"


def validated(model: type[Model], data: dict[str, Any], where: str) -> Model:
    """``data`` as ``model``, or a :class:`ConfigError`: ``where: key.path: what is wrong``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key shows as missing and as unknown: the unknown one names the typo.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        path = _path(first["loc"])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{where}: {path + ': ' if path else ''}{_says(first)}{more}") from None
