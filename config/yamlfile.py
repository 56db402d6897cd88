"""Loading the YAML files a user edits, with errors that name the file and what is wrong."""

from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """Read a YAML mapping; any problem is a :class:`ConfigError` naming ``what`` and ``path``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{what} {path}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{what} {path}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path}: expected a mapping at the top")
    return data
