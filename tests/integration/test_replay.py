"""Replay a whole (short) term day by day against a real SMTP server and check what each body got."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.item_states import item_states
from models.queries import find_document
from models.reports import active_item, add_report
from notifications.dispatch import run
from notifications.mailers import SmtpMailer
from tests.smtp_sink import Sink
from workflows.orchestration import sweeps
from workflows.orchestration.ingest import store
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise
from workflows.rules import reporting
from workflows.rules.reporting import period_answered
from workflows.rules.workdays import minus_working_days, on_or_after, plus_working_days

DOCUMENT = """CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết, nhiệm kỳ 2021 - 2022
-----

C. NHIỆM VỤ VÀ GIẢI PHÁP

1. Về kinh tế

- Ban hành kế hoạch phát triển công nghiệp trước ngày 30/6/2022.

2. Công tác dân vận

- Tổ chức đối thoại với nhân dân về quy hoạch.

D. TỔ CHỨC THỰC HIỆN

I. Ban Thường vụ Tỉnh ủy khẩn trương chỉ đạo triển khai Chương trình hành động.
"""
UBND, BDV, BTV, VPTU, BCS, MTTQ = (f"{n}@khanhhoa.example.org" for n in
                                    ("ubnd", "ban-dan-van", "ban-thuong-vu", "van-phong", "ban-can-su-ubnd", "dang-doan-mttq"))


def reminder_days(due: date) -> list[date]:
    return [minus_working_days(due, n) for n in (30, 7, 1, 0)]


def test_a_term_replayed_day_by_day(database_url: str, configuration: Configuration, tmp_path: Path) -> None:
    sink = Sink().start()
    settings = Settings(home=tmp_path, database_url=database_url)
    try:
        programme = parse_programme(normalise(DOCUMENT), rules=configuration.rules, policy=configuration.policy)
        engine = open_database(database_url)
        store(engine, programme, source="replay.txt", configuration=configuration, actor="test")
        mailer = SmtpMailer(host="127.0.0.1", port=sink.port, security="none", username=None, password=None, timeout=5)
        reports = {date(2022, 6, 20): ("C.2.1", "in_progress"), date(2022, 7, 5): ("C.1.1", "done")}
        sent_on: dict[str, list[tuple[date, str]]] = defaultdict(list)
        day = date(2022, 1, 1)
        while day <= date(2023, 2, 28):
            if day in reports:
                key, state_name = reports[day]
                with session_scope(engine) as session:
                    doc = find_document(session)
                    (state,) = item_states(session, reporting=reporting.rule(configuration.policy.reporting_cadence), document=doc, keys=[key])
                    add_report(session, item=active_item(session, document=doc, key=key), body=state.lead, status=state_name,
                               percent=None, note=None, values={}, period=period_answered(state, day), on=day, actor="test",
                               now=datetime.now(UTC))
            for step in (sweeps.remind, sweeps.escalate, sweeps.digest):
                step(engine, settings=settings, configuration=configuration, as_of=day)
            before = len(sink.received)
            run(engine, mailer, policy=configuration.policy, now=datetime.now(UTC))
            for received in sink.received[before:]:
                for address in received.recipients:
                    sent_on[address].append((day, received.key))
            day += timedelta(days=1)
        engine.dispose()
    finally:
        sink.stop()

    items = {i.key: i for i in programme.items}
    assert [i.lead for i in programme.items] == ["UBND", "BDV", "BTV"]
    first, second, third = (f"item:{n}" for n in (1, 2, 3))  # ids in a fresh database follow document order
    plan_due = date(2022, 6, 30)
    dialogue_due = on_or_after(items["C.2.1"].due)  # 31/12/2022 is a Saturday and 2/1/2023 a holiday
    urgent_due = on_or_after(items["D.I"].due)
    assert dialogue_due == date(2023, 1, 3) and items["D.I"].due == date(2022, 4, 1)

    def keyed(address: str, kind: str) -> list[tuple[date, str]]:
        return [(d, k) for d, k in sent_on[address] if k.startswith(kind)]

    # The People's Committee: four reminders before 30/6; its late "done" on 5/7 keeps it off the ladder.
    assert keyed(UBND, "reminder") == [(d, f"reminder:{first}:deadline:{plan_due}:{n}") for d, n in zip(reminder_days(plan_due), (30, 7, 1, 0), strict=True)]
    assert keyed(UBND, "escalation") == []
    # Mass Mobilisation: the 30-day reminder of its mid-year report (its report on 20/6 answers it
    # before the 7-day one), then its deadline's four reminders and both rungs of the ladder.
    assert keyed(BDV, "reminder") == [
        (minus_working_days(date(2022, 6, 30), 30), f"reminder:{second}:report:2022-06-30:30"),
        *[(d, f"reminder:{second}:deadline:{dialogue_due}:{n}") for d, n in zip(reminder_days(dialogue_due), (30, 7, 1, 0), strict=True)],
    ]
    level_1, level_2 = plus_working_days(dialogue_due, 5), plus_working_days(dialogue_due, 10)
    assert keyed(BDV, "escalation") == [
        (level_1, f"escalation:{second}:deadline:{dialogue_due}:1"), (level_2, f"escalation:{second}:deadline:{dialogue_due}:2"),
    ]
    # The Standing Committee leads the urgent directive: reminders, then the ladder; it supervises
    # the advisory boards (a copy of their level 1) and receives every level 2.
    assert keyed(BTV, "reminder") == [(d, f"reminder:{third}:deadline:{urgent_due}:{n}") for d, n in zip(reminder_days(urgent_due), (30, 7, 1, 0), strict=True)]
    assert keyed(BTV, "escalation") == [
        (plus_working_days(urgent_due, 5), f"escalation:{third}:deadline:{urgent_due}:1"),
        (plus_working_days(urgent_due, 10), f"escalation:{third}:deadline:{urgent_due}:2"),
        (level_1, f"escalation:{second}:deadline:{dialogue_due}:1"),
        (level_2, f"escalation:{second}:deadline:{dialogue_due}:2"),
    ]
    # The coordinator: a digest every week of the replay, and a copy of every escalation.
    mondays = {d - timedelta(days=d.weekday()) for d in (date(2022, 1, 1) + timedelta(days=n) for n in range(424))}
    assert len(keyed(VPTU, "digest")) == len(mondays)
    assert len(keyed(VPTU, "escalation")) == 4
    # The Front cooperates on the dialogue: a copy of its reminders, none of the ladder's level 1.
    assert keyed(MTTQ, "reminder") == keyed(BDV, "reminder") and keyed(MTTQ, "escalation") == []
    assert sent_on[BCS] == []
    assert all(n == 1 for n in sink.keys().values())
