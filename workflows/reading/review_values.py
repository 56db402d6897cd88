"""What a body says it reached, per indicator, read into the numbers a review answer stores.

A review answer keeps, for a target, the value reached for each of its indicators as
``{position: number}`` (``models.review_tables.ReviewAnswer.values``; the position is the
indicator's stored ``position``, written as text). People name an indicator as ``dondoc items``
and ``dondoc show`` print it ("Tỷ lệ dân số được sử dụng nước sạch"), compared as Vietnamese is
compared here (case, composed or decomposed letters, either tone placement: :mod:`config.folding`),
or by its place in the list counted from 1; and they write numbers as they write them, with a
decimal comma ("12,5"). The command line (``dondoc review answer --value NAME=V``), the answer
page and the XLSX form all read them through :func:`resolve_values`, so they refuse the same
things with the same reasons.

Pure: no database. The caller passes the item's indicators as ``(position, name)`` pairs.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from config.folding import fold
from workflows.reading.numbers import parse_number


class ValueProblem(ValueError):
    """A value a review answer cannot take; ``reason`` says which (``pair``, ``indicator``,
    ``number``, ``twice``) and ``name``/``value`` what was given, for a message in either language."""

    def __init__(self, reason: str, name: str, value: str = "") -> None:
        super().__init__(f"{reason}: {name!r} {value!r}".strip())
        self.reason = reason
        self.name = name
        self.value = value


@dataclass(frozen=True)
class Named:
    """One of an item's indicators as it is asked about: stored position and printed name."""

    position: int
    name: str


def split_pair(pair: str) -> tuple[str, str]:
    """``"NAME=V"`` -> (NAME, V), split at the last ``=`` (a name may hold one, a number never)."""
    name, sep, raw = pair.rpartition("=")
    if not sep or not name.strip() or not raw.strip():
        raise ValueProblem("pair", pair)
    return name.strip(), raw.strip()


def find_indicator(name: str, indicators: Sequence[Named]) -> Named:
    """The indicator ``name`` names: its printed name (folded), else its place counted from 1."""
    wanted = fold(name)
    for indicator in indicators:
        if fold(indicator.name) == wanted:
            return indicator
    if name.isdigit() and 1 <= int(name) <= len(indicators):
        return indicators[int(name) - 1]
    raise ValueProblem("indicator", name)


def read_number(name: str, raw: str) -> float:
    """A value reached, as a finite number ("12,5", "1.200", "70"); anything else is refused."""
    try:
        return parse_number(raw)
    except ValueError:  # words, "1/0", "nan": not a value reached
        raise ValueProblem("number", name, raw) from None


def resolve_values(given: Iterable[tuple[str, str]], indicators: Sequence[Named]) -> dict[str, float]:
    """``(NAME, V)`` pairs -> ``{str(position): number}``, as a review answer stores them.

    Refused with :class:`ValueProblem`: a name that is no indicator of the item, a value that is
    not a finite number, one indicator given twice (which one would count?)."""
    values: dict[str, float] = {}
    for name, raw in given:
        indicator = find_indicator(name, indicators)
        if str(indicator.position) in values:
            raise ValueProblem("twice", indicator.name)
        values[str(indicator.position)] = read_number(indicator.name, raw)
    return values
