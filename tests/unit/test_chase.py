"""The chase's rules, day by day, as a coordinator would check them on a calendar."""

from datetime import date

from config import CONFIG_DIR
from config.bodies import load_registry
from config.policy import Policy
from models.states import ItemState
from workflows.rules import workdays
from workflows.rules.escalation import rungs as ladder_rungs
from workflows.rules.reminders import reminders
from workflows.rules.reporting import period_answered
from workflows.rules.status import status
from workflows.rules.workdays import effective

POLICY = Policy()
REGISTRY = load_registry(CONFIG_DIR / "bodies.yaml")


def rungs(item: ItemState, as_of: date, policy: Policy) -> list:  # type: ignore[type-arg]
    return ladder_rungs(item, as_of, policy, REGISTRY)


def item(due: date, **changes: object) -> ItemState:
    values: dict[str, object] = {
        "id": 1, "key": "C.I.1.1.1", "kind": "task", "text": "Việc.", "section": "C.I.1.1", "lead": "UBND",
        "cooperating": (), "document_due": due, "due": due, "reporting_dates": (due,),
    }
    values.update(changes)
    return ItemState(**values)  # type: ignore[arg-type]


def test_tet_and_weekends_are_not_working_days() -> None:
    assert [workdays.is_working_day(date(2026, 2, d)) for d in range(13, 24)] == [
        True, False, False, False, False, False, False, False, False, False, True,
    ]  # Fri 13; weekend; Tết 16-20; weekend; Mon 23
    assert workdays.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day() -> None:
    assert effective(date(2026, 2, 17), POLICY) == date(2026, 2, 23)
    assert effective(date(2026, 3, 11), POLICY) == date(2026, 3, 11)


def test_reminders_come_at_each_offset_once_and_never_on_a_day_off() -> None:
    task = item(date(2026, 3, 11))
    assert [(r.offset, r.day) for r in reminders([task], date(2026, 3, 2), POLICY)] == [(7, date(2026, 3, 11))]
    assert reminders([task], date(2026, 3, 3), POLICY)[0].key == reminders([task], date(2026, 3, 2), POLICY)[0].key
    assert [r.offset for r in reminders([task], date(2026, 3, 10), POLICY)] == [1]
    assert [r.offset for r in reminders([task], date(2026, 3, 11), POLICY)] == [0]
    assert reminders([task], date(2026, 3, 7), POLICY) == []  # a Saturday
    assert reminders([task], date(2026, 3, 12), POLICY) == []  # past due: escalation's turn
    thirty = workdays.minus_working_days(date(2026, 3, 11), 30)
    assert thirty == date(2026, 1, 21)  # 30 working days back, Tết week skipped
    assert [r.offset for r in reminders([task], thirty, POLICY)] == [30]


def test_reporting_dates_get_their_own_reminders_until_answered() -> None:
    task = item(date(2026, 12, 31), reporting_dates=(date(2026, 6, 30), date(2026, 12, 31)))
    owed = reminders([task], date(2026, 6, 29), POLICY)
    assert [(r.subject, r.offset) for r in owed] == [("report", 1)]
    answered = item(date(2026, 12, 31), reporting_dates=(date(2026, 6, 30), date(2026, 12, 31)),
                    reported_periods=frozenset({date(2026, 6, 30)}))
    assert reminders([answered], date(2026, 6, 29), POLICY) == []


def test_the_ladder_climbs_after_n_then_m_working_days_and_stops_when_a_report_arrives() -> None:
    task = item(date(2026, 3, 11))
    assert rungs(task, date(2026, 3, 17), POLICY) == []  # 4 working days late
    (first,) = rungs(task, date(2026, 3, 18), POLICY)
    assert (first.level, first.working_days_late) == (1, 5)
    (second,) = rungs(task, date(2026, 3, 25), POLICY)
    assert second.level == 2 and second.key != first.key
    assert rungs(item(date(2026, 3, 11), reports_on=(date(2026, 3, 19),)), date(2026, 3, 25), POLICY) == []
    assert rungs(item(date(2026, 3, 11), done_on=date(2026, 3, 20)), date(2026, 3, 25), POLICY) == []


def test_an_extension_moves_reminders_escalation_and_status_with_it() -> None:
    extended = item(date(2026, 6, 30), document_due=date(2026, 3, 11))
    assert extended.extended
    assert rungs(extended, date(2026, 3, 25), POLICY) == []
    assert status(extended, date(2026, 3, 25), POLICY) == "not_done_within_deadline"
    assert [r.day for r in reminders([extended], date(2026, 6, 29), POLICY)] == [date(2026, 6, 30)]
    done = item(date(2026, 6, 30), document_due=date(2026, 3, 11), done_on=date(2026, 5, 4))
    assert status(done, date(2026, 7, 1), POLICY) == "done_on_time"


def test_status_categories() -> None:
    due = date(2026, 3, 11)
    assert status(item(due, done_on=date(2026, 3, 11)), date(2026, 4, 1), POLICY) == "done_on_time"
    assert status(item(due, done_on=date(2026, 3, 12)), date(2026, 4, 1), POLICY) == "done_late"
    assert status(item(due), date(2026, 3, 11), POLICY) == "not_done_within_deadline"
    assert status(item(due), date(2026, 3, 12), POLICY) == "not_done_overdue"
    assert status(item(due, blocked=True), date(2026, 3, 12), POLICY) == "blocked"


def test_a_report_answers_the_earliest_open_reporting_date_up_to_the_next() -> None:
    dates = (date(2026, 6, 30), date(2026, 12, 31), date(2027, 6, 30))
    assert period_answered(item(date(2027, 6, 30), reporting_dates=dates), date(2026, 8, 1)) == date(2026, 6, 30)
    answered = item(date(2027, 6, 30), reporting_dates=dates, reported_periods=frozenset({date(2026, 6, 30)}))
    assert period_answered(answered, date(2026, 2, 1)) == date(2026, 6, 30)  # an update within the same period
    assert period_answered(answered, date(2026, 8, 1)) == date(2026, 12, 31)
