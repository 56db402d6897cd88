"""``dondoc calendar YEAR``: the working-day calendar in force, so that a coordinator can see why
no letter went out on a day (a holiday, a weekday given off) or why one went out on a Saturday.

Reads neither the database nor Prefect: the calendar is a pure function of the year
(``workflows.rules.workdays.calendar_of``).
"""

from typing import TYPE_CHECKING, Annotated

import typer

from workflows.cli.app import AsJson, UsageProblem, app, fail, language, print_json, with_settings
from workflows.cli.messages import say

if TYPE_CHECKING:
    from config.settings import Settings
    from workflows.rules.workdays import Calendar

WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
WORDS = {  # what only this command says (the shared phrases are in workflows.cli.messages)
    "title": ("Lịch ngày làm việc năm {year}", "Working-day calendar, {year}"),
    "date": ("Ngày", "Date"),
    "weekday": ("Thứ", "Weekday"),
    "kind": ("Loại", "Kind"),
    "name": ("Tên", "Name"),
    "off": ("nghỉ", "day off"),
    "worked": ("làm việc", "working day"),
    "make_up": ("Ngày làm bù", "Make-up working day"),
    "make_up_for": ("Ngày làm bù (nghỉ ngày {day})", "Make-up working day (for {day} off)"),
}


def _word(key: str, lang: str, **values: object) -> str:
    vi, en = WORDS[key]
    return (en if lang == "en" else vi).format(**values)


@app.command()
def calendar(
    year: Annotated[int, typer.Argument(help="Năm / the year (1990..2100)")],
    as_json: AsJson = False,
) -> None:
    """Lịch ngày nghỉ và ngày làm bù / the days off and make-up working days of a year."""
    from workflows.rules import workdays

    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        lang = language()
        fail(UsageProblem(say("usage_range", lang, name="YEAR", value=year,
                              range=f"{workdays.FIRST_YEAR}..{workdays.LAST_YEAR}")), lang)

    def action(settings: "Settings") -> None:
        shown = workdays.calendar_of(year, settings.language)
        if as_json:
            print_json({"year": shown.year,
                        "days_off": [{"date": day.isoformat(), "name": name} for day, name in shown.days_off],
                        "working_weekend_days": [day.isoformat() for day in shown.working_weekend_days]})
        else:
            _table(shown, settings.language)

    with_settings(action)


def _table(shown: "Calendar", lang: str) -> None:
    """One row per day that is not what its weekday says: days off, then weekend days worked, by date."""
    from rich.console import Console
    from rich.table import Table

    from config.words import show_date

    rows = [(day, _word("off", lang), name) for day, name in shown.days_off]
    for day in shown.working_weekend_days:
        given_off = next((off for off, name in shown.days_off if show_date(day) in name), None)
        name = _word("make_up_for", lang, day=show_date(given_off)) if given_off else _word("make_up", lang)
        rows.append((day, _word("worked", lang), name))
    table = Table(title=_word("title", lang, year=shown.year))
    for column in ("date", "weekday", "kind", "name"):
        table.add_column(_word(column, lang))
    for day, kind, name in sorted(rows):
        table.add_row(show_date(day), WEEKDAYS["en" if lang == "en" else "vi"][day.weekday()], kind, name)
    Console(width=200, markup=False).print(table)
