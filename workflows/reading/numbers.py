"""Vietnamese numerals as written in these documents.

A dot groups thousands and a comma marks decimals: "5.685" is 5685, "7,5" is 7.5, "1.700" is 1700,
"1.234,5" is 1234.5; "1/2" is a half.
"""

import math
import re

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+/\d+|\d+(?:,\d+)?"
"""A regular expression for one numeral, longest forms first."""

_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


class NotFinite(ValueError):
    """Written as a number but naming no finite one ("1/0", "nan", "inf", "1e999"): a value that
    must be refused, not kept as words, since no JSON column or comparison can hold it."""


def parse_number(text: str) -> float:
    """Return the value of a Vietnamese numeral; ``ValueError`` if it is not one, and
    :class:`NotFinite` (a ``ValueError`` too) if it is written as one but is not finite."""
    text = text.strip()
    try:
        value = _value(text)
    except (ZeroDivisionError, OverflowError) as error:  # 1/0; a fraction too large for a float
        raise NotFinite(text) from error
    if not math.isfinite(value):  # nan, inf, infinity, 1e999, 400 digits
        raise NotFinite(text)
    return value


def _value(text: str) -> float:
    if "/" in text:
        numerator, denominator = text.split("/", 1)
        return int(numerator) / int(denominator)
    if "," in text:
        whole, decimals = text.rsplit(",", 1)
        return float(whole.replace(".", "") + "." + decimals)
    if _THOUSANDS.match(text):
        return float(text.replace(".", ""))
    return float(text)
