"""Schedule policy: when the programme starts, how often bodies report, what "urgent" means.

Read from ``policy.yaml`` (setting ``DONDOC_POLICY_FILE``); each value has a default so that an
empty file is a valid policy.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from config.errors import ConfigError
from config.yamlfile import load_mapping

CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")


@dataclass(frozen=True)
class Policy:
    """How items are scheduled."""

    start: date | None = None
    reporting_cadence: str = "half_yearly"
    urgent_days: int = 90


def load_policy(path: Path) -> Policy:
    where = f"policy file {path}"
    data = load_mapping(path, "policy file")
    programme = data.get("programme") or {}
    reporting = data.get("reporting") or {}
    deadlines = data.get("deadlines") or {}
    start = programme.get("start")
    if start is not None and not isinstance(start, date):
        raise ConfigError(f"{where}: programme.start must be a date such as 2021-01-01, not {start!r}")
    cadence = reporting.get("cadence", "half_yearly")
    if cadence not in CADENCES:
        raise ConfigError(f"{where}: reporting.cadence is {cadence!r}; choose one of {', '.join(CADENCES)}")
    urgent = deadlines.get("urgent_days", 90)
    if not isinstance(urgent, int) or isinstance(urgent, bool) or not 1 <= urgent <= 730:
        raise ConfigError(f"{where}: deadlines.urgent_days must be a whole number of days from 1 to 730")
    return Policy(start=start, reporting_cadence=cadence, urgent_days=urgent)
