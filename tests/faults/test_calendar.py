"""The working-day calendar (issue 8, "Dates, numbers and calendars").

Vietnam moves days off to make bridges: in 2025 Saturday 26 April was worked so that Friday 2 May
could be taken off (and 2024-05-04 for 2024-04-29, 2026-08-22 for 2026-08-31). Letters go out on
working days and deadlines that fall on a day off move on, so the make-up Saturday and the
swapped weekday must count as the government counts them; and `dondoc calendar` shows it.
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from config.policy import Policy
from models.states import ItemState
from tests.acceptance.test_cli import ok, run
from workflows.rules import workdays
from workflows.rules.reminders import reminders
from workflows.rules.workdays import effective

POLICY = Policy()  # working days counted, reminders 30, 7, 1 and 0 working days ahead


def task(due: date) -> ItemState:
    return ItemState(id=1, key="C.I.1.1.1", kind="task", text="Việc.", section="C.I.1.1", lead="UBND", cooperating=(),
                     document_due=due, due=due, reporting_dates=(due,))


def test_the_make_up_saturdays_are_working_days_and_the_swapped_weekdays_are_not() -> None:
    assert workdays.is_working_day(date(2025, 4, 26))  # Saturday, worked
    assert not workdays.is_working_day(date(2025, 5, 2))  # Friday, given off for it
    assert workdays.is_working_day(date(2024, 5, 4)) and not workdays.is_working_day(date(2024, 4, 29))
    assert workdays.is_working_day(date(2026, 8, 22)) and not workdays.is_working_day(date(2026, 8, 31))
    assert not workdays.is_working_day(date(2025, 4, 19))  # an ordinary Saturday stays off
    # Fri 25 and Sat 26 April, then Mon 28, Tue 29; 30 April, 1 and 2 May off; Mon 5 May
    assert workdays.working_days_between(date(2025, 4, 24), date(2025, 5, 5)) == 5


def test_a_reminder_due_around_the_swap_comes_on_the_right_day() -> None:
    # Given an item due Monday 28 April 2025: its reminder one working day ahead falls on the
    # make-up Saturday 26 April, not on Friday 25.
    monday = task(date(2025, 4, 28))
    assert [r.offset for r in reminders([monday], date(2025, 4, 26), POLICY)] == [1]
    assert [r.offset for r in reminders([monday], date(2025, 4, 25), POLICY)] == [7]
    # Given an item due on the swapped Friday 2 May: it is due Monday 5 May, nothing goes out on
    # the 2nd, and its reminder one working day ahead comes on Tuesday 29 April.
    friday = task(date(2025, 5, 2))
    assert effective(date(2025, 5, 2), POLICY) == date(2025, 5, 5)
    assert reminders([friday], date(2025, 5, 2), POLICY) == []
    assert [(r.offset, r.day) for r in reminders([friday], date(2025, 4, 29), POLICY)] == [(1, date(2025, 5, 5))]
    assert [r.offset for r in reminders([friday], date(2025, 5, 5), POLICY)] == [0]


def test_tet_2026_is_as_it_was() -> None:
    assert [workdays.is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
        True, False, False, False, False, False, False, False, False, False, True,
    ]  # Fri 13; weekend; Tết 16-20; weekend; Mon 23
    assert effective(date(2026, 2, 17), POLICY) == date(2026, 2, 23)
    assert workdays.minus_working_days(date(2026, 3, 11), 30) == date(2026, 1, 21)


def test_calendar_json_lists_tet_the_swapped_day_and_the_make_up_saturday(tmp_path: Path) -> None:
    shown = json.loads(ok(tmp_path, "calendar", "2025", "--json"))
    assert set(shown) == {"year", "days_off", "working_weekend_days"}
    assert shown["year"] == 2025
    off = {entry["date"]: entry["name"] for entry in shown["days_off"]}
    assert all(set(entry) == {"date", "name"} for entry in shown["days_off"])
    assert {"2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"} <= set(off)  # Tết
    assert off["2025-01-29"] == "Tết Nguyên Đán"
    assert "2025-05-02" in off and "26/04/2025" in off["2025-05-02"]
    assert "2025-04-19" not in off  # an ordinary Saturday is not listed
    assert shown["working_weekend_days"] == ["2025-04-26"]
    assert not (tmp_path / "dondoc.db").exists()  # the calendar opens no database


def test_calendar_speaks_english_when_asked_and_shows_days_as_written_here(tmp_path: Path) -> None:
    english = json.loads(ok(tmp_path, "calendar", "2025", "--json", env={"DONDOC_LANGUAGE": "en"}))
    off = {entry["date"]: entry["name"] for entry in english["days_off"]}
    assert off["2025-01-29"] == "Lunar New Year"
    assert "26/04/2025" in off["2025-05-02"]  # dd/mm/yyyy, not the package's US 04/26/2025
    table = ok(tmp_path, "calendar", "2025")
    assert "29/01/2025" in table and "Tết Nguyên Đán" in table
    assert "26/04/2025 │ Thứ Bảy" in table and "02/05/2025 │ Thứ Sáu" in table
    assert "Saturday" in ok(tmp_path, "calendar", "2025", env={"DONDOC_LANGUAGE": "en"})


def test_calendar_refuses_a_year_out_of_range_in_one_line(tmp_path: Path) -> None:
    for year in ("1989", "2101"):
        result = run(tmp_path, "calendar", year)
        assert result.returncode == 64, result.stderr
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert "1990..2100" in result.stderr and year in result.stderr


def test_calendar_does_not_load_prefect(tmp_path: Path) -> None:
    script = ("import atexit, sys\n"
              "atexit.register(lambda: sys.stderr.write('prefect loaded' if 'prefect' in sys.modules else ''))\n"
              "sys.argv = ['dondoc', 'calendar', '2026']\n"
              "from workflows.cli import main\n"
              "main()\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")} | {"DONDOC_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "prefect loaded" not in result.stderr
    assert "22/08/2026" in result.stdout
