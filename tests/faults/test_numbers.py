"""Numbers that are not numbers (issue 8, "Dates, numbers and calendars").

``--value X=1/0`` ended in a ZeroDivisionError traceback; ``--value X=nan`` was stored as JSON that
SQLite cannot read back (and was a traceback on PostgreSQL). Each is refused in one line naming
the value, and nothing is stored.
"""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.acceptance.test_cli import ok, run
from workflows.reading.numbers import NotFinite, parse_number


@pytest.mark.parametrize("text", ["1/0", "0/0", "nan", "NaN", "inf", "-inf", "Infinity", "1e999", "9" * 400, "9" * 400 + "/1"])
def test_a_numeral_that_is_not_finite_is_refused_as_a_value_error(text: str) -> None:
    with pytest.raises(NotFinite):
        parse_number(text)
    with pytest.raises(ValueError):  # what every caller already catches; never ZeroDivisionError
        parse_number(text)


@pytest.mark.parametrize(("text", "value"), [("1/2", 0.5), ("7,5", 7.5), ("1.234,5", 1234.5), ("0", 0.0), ("-3", -3.0)])
def test_finite_numerals_still_read(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_words_are_a_plain_value_error_so_they_are_kept_as_words() -> None:
    for text in ("khá", "a/b", "đạt"):
        with pytest.raises(ValueError) as caught:
            parse_number(text)
        assert not isinstance(caught.value, NotFinite)


def reports(home: Path) -> list[str]:
    with sqlite3.connect(home / "dondoc.db") as db:
        return [str(row[0]) for row in db.execute('select "values" from progress_report')]


def test_a_report_with_a_value_that_is_not_finite_is_refused_in_one_line_and_stores_nothing(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    for bad in ("1/0", "nan", "inf"):
        result = run(tmp_path, "report", "B.II.1.1", "--status", "in_progress", "--value", f"tăng trưởng={bad}",
                     "--as-of", "2021-07-01")
        assert result.returncode == 64, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and bad in lines[0] and "tăng trưởng" in lines[0], result.stderr
        assert "Traceback" not in result.stderr
        assert reports(tmp_path) == []
    # and the same report with a number goes through, readable as JSON
    ok(tmp_path, "report", "B.II.1.1", "--status", "in_progress", "--value", "tăng trưởng=7,5", "--as-of", "2021-07-01")
    assert [json.loads(values) for values in reports(tmp_path)] == [{"tăng trưởng": 7.5}]
