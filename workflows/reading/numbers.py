"""Vietnamese numerals as written in these documents.

A dot groups thousands and a comma marks decimals: "5.685" is 5685, "7,5" is 7.5, "1.700" is 1700,
"1.234,5" is 1234.5; "1/2" is a half.
"""

import re

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+/\d+|\d+(?:,\d+)?"
"""A regular expression for one numeral, longest forms first."""

_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_number(text: str) -> float:
    """Return the value of a Vietnamese numeral; ``ValueError`` if it is not one."""
    text = text.strip()
    if "/" in text:
        numerator, denominator = text.split("/", 1)
        return int(numerator) / int(denominator)
    if "," in text:
        whole, decimals = text.rsplit(",", 1)
        return float(whole.replace(".", "") + "." + decimals)
    if _THOUSANDS.match(text):
        return float(text.replace(".", ""))
    return float(text)
