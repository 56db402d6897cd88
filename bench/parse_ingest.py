"""Parse and ingest time for the bundled programme and for a synthetic one a hundred times its size.

Prints its figures; run with ``make bench``. The synthetic document repeats parts B to D of the
sample a hundred times under fresh part letters, so that its outline, wraps, page numbers and
items are the sample's own, a hundred times over.
"""

import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from config.loading import load_configuration
from config.settings import Settings
from models.db import open_database
from models.programme import Programme
from workflows.orchestration.ingest import sample_path, store
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

COPIES = 100


def synthetic(text: str, copies: int) -> str:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("B. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("T/M"))
    front, body = lines[:start], lines[start:end]
    out = list(front)
    for _ in range(copies):
        out.extend(body)
    return "\n".join(out)


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<48} {best * 1000:10.1f} ms")
    return result


def main() -> None:
    settings = Settings(home=Path(tempfile.mkdtemp(prefix="dondoc-bench-")))
    configuration = load_configuration(settings)
    text = read_document(sample_path(), max_bytes=10**9)
    big = synthetic(text, COPIES)
    print(f"sample: {len(text):,} characters; synthetic: {len(big):,} characters ({COPIES} copies of B-D)")

    def parse(t: str):  # type: ignore[no-untyped-def]
        return parse_programme(t, rules=configuration.rules, policy=configuration.policy)

    small = timed("parse sample (best of 5)", lambda: parse(text), repeat=5)
    large = timed(f"parse synthetic, {COPIES}x", lambda: parse(big))
    tracemalloc.start()  # a second run: tracing allocations slows the parse several times over
    parse(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{'  peak memory while parsing synthetic':<48} {peak / 1e6:10.1f} MB")
    print(f"{'  items: sample / synthetic':<48} {len(small.items):>6} / {len(large.items)}")
    def ingest(programme: Programme, url: str) -> None:
        """As ``dondoc ingest`` does it: open (and migrate) the database, store, close."""
        engine = open_database(url)
        store(engine, programme, source=programme.key, configuration=configuration, actor="bench")
        engine.dispose()

    timed("ingest sample, first time (SQLite)", lambda: ingest(small, settings.url))
    timed("ingest sample again, nothing changes", lambda: ingest(small, settings.url))
    big_url = Settings(home=settings.home / "big").url
    timed("ingest synthetic, first time (SQLite)", lambda: ingest(large, big_url))
    timed("ingest synthetic again, nothing changes", lambda: ingest(large, big_url))
    shutil.rmtree(settings.home, ignore_errors=True)


if __name__ == "__main__":
    main()
