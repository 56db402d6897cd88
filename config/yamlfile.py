"""Reading the YAML files a user edits, refusing what could hang or exhaust the process.

A configuration file is a few kilobytes of plain mappings and lists, so anything else is refused
with one line naming the file: a path that is not a regular file (a FIFO would block, ``/dev/zero``
never ends), a file over ``MAX_BYTES``, YAML anchors and aliases (a few lines of aliases expand to
billions of nodes), and nesting deeper than ``MAX_DEPTH`` (which would exhaust Python's stack).
"""

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from config.errors import ConfigError

MAX_BYTES = 5_000_000
MAX_DEPTH = 64


class _Refused(Exception):
    """The YAML uses something a configuration file has no need of."""


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases and bounds the nesting depth.

    The composer is the recursive part of PyYAML (one Python frame per level), so the depth is
    counted there, before the recursion can run away.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(f"anchors and aliases (& and *) are not accepted, at line {line}; write each value out")
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels, at line {line}")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key, _ in node.value:
            if not isinstance(self.construct_object(key), str):
                shown = repr(key.value) if isinstance(key, yaml.ScalarNode) else "made of a list or mapping"
                raise _Refused(f"key {shown} is not read as text (quote it), at line {key.start_mark.line + 1}")
        return super().construct_mapping(node, deep=deep)

    def _timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _Refused(f"{node.value!r} is not a date ({exc}), at line {node.start_mark.line + 1}") from None


_PlainLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlainLoader._timestamp)


def _read(path: Path, what: str) -> str:
    """The file's text; opened without blocking and checked on the open descriptor, so a FIFO or
    a device swapped in after a check cannot slip through."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{what} {path}: cannot read it ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{what} {path}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise ConfigError(f"{what} {path}: larger than {MAX_BYTES // 1_000_000} MB")
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1).decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{what} {path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path}: not UTF-8 text") from None
    finally:
        os.close(fd)


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """Read a YAML mapping (an empty file is an empty mapping); any problem is a
    :class:`ConfigError` naming ``what`` and ``path``."""
    loader = _PlainLoader(_read(path, what))
    try:
        data = loader.get_single_data()
    except _Refused as exc:
        raise ConfigError(f"{what} {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{what} {path}: not valid YAML{where}") from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {path}: expected a mapping (key: value lines) at the top")
    return data
