"""The reminder sweep lets the database narrow the items it reads; day by day, it must owe
exactly what a sweep reading every item and its whole report history owes."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from config.loading import Configuration
from models.db import open_database, session_scope
from models.item_states import item_states
from models.queries import find_document
from models.reports import active_item, decide_extension, request_extension
from workflows.orchestration.ingest import store
from workflows.orchestration.reports import submit_report
from workflows.orchestration.sweeps import owed_reminders
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise
from workflows.rules import reporting
from workflows.rules.reminders import reminders

DOCUMENT = """CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết, nhiệm kỳ 2024 - 2026
-----

C. NHIỆM VỤ VÀ GIẢI PHÁP

1. Về kinh tế

- Ban hành kế hoạch phát triển công nghiệp trước ngày 14/02/2026.
- Hoàn thành đề án chuyển đổi số trước ngày 01/5/2025.
- Tổng kết mô hình hợp tác xã trước ngày 30/6/2025.
- Xây dựng quy hoạch vùng ven biển trước ngày 31/12/2025.
- Rà soát các dự án chậm tiến độ trước ngày 05/9/2025.

2. Công tác dân vận

- Tổ chức đối thoại với nhân dân về quy hoạch.

D. TỔ CHỨC THỰC HIỆN

I. Ban Thường vụ Tỉnh ủy khẩn trương chỉ đạo triển khai Chương trình hành động.
"""
# C.1.1 falls due on the Saturday before Tết 2026 (so on Monday 23 February), C.1.2 on a holiday.
STRETCHES = ((date(2025, 3, 1), date(2025, 7, 20)), (date(2025, 8, 1), date(2025, 9, 20)), (date(2025, 12, 1), date(2026, 3, 10)))
REPORTS = (("C.1.4", "in_progress", date(2025, 6, 25)), ("C.1.5", "done", date(2025, 8, 20)), ("C.2.1", "blocked", date(2025, 6, 1)))


def stored(database_url: str, configuration: Configuration) -> Engine:
    """The document stored, with REPORTS and C.1.3's extension to 07/07/2025 approved: the traps
    a narrowed selection must not miss (this test's and ``test_rung_window.py``'s)."""
    policy = configuration.policy
    engine = open_database(database_url)
    store(engine, parse_programme(normalise(DOCUMENT), rules=configuration.rules, policy=policy), source="window.txt",
          configuration=configuration, actor="test")
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        doc = find_document(session)
        for key, status, on in REPORTS:
            submit_report(session, policy=policy, document=doc, key=key, body=None, status=status, percent=None, note=None,
                          values={}, on=on, actor="test", now=now)
        request = request_extension(session, item=active_item(session, document=doc, key="C.1.3"), body="UBND",
                                    current_due=date(2025, 6, 30), to=date(2025, 7, 7), reason="test",
                                    on=date(2025, 6, 20), actor="test", now=now)
        session.flush()
        decide_extension(session, request_id=request.id or 0, approve=True, note=None, on=date(2025, 6, 20), actor="test", now=now)
    return engine


def test_the_narrowed_sweep_owes_what_a_full_reading_owes(database_url: str, configuration: Configuration, tmp_path: Path) -> None:
    policy = configuration.policy
    engine = stored(database_url, configuration)
    with session_scope(engine) as session:
        everything = item_states(session, reporting=reporting.rule(policy.reporting_cadence))

    owed = []
    for start, end in STRETCHES:
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1)):
            narrowed = owed_reminders(engine, configuration, day)
            assert sorted(r.key for r in narrowed) == sorted(r.key for r in reminders(everything, day, policy)), day
            owed += [(r.item.key, r.subject, r.day, r.offset) for r in narrowed]
    engine.dispose()

    # what was owed shows the traps: due dates on days off, an answered reporting date, a done
    # item, an extension (sweeps read the current state, so these hold on every day replayed)
    assert ("C.1.1", "deadline", date(2026, 2, 23), 0) in owed  # Saturday 14 February, then Tết
    assert {o[2] for o in owed if o[0] == "C.1.2"} == {date(2025, 5, 5)}  # 1 May, a holiday, then the weekend
    assert {o[1] for o in owed if o[0] == "C.1.4"} == {"deadline"}  # its report answered 30 June
    assert not [o for o in owed if o[0] == "C.1.5"]
    assert {(o[1], o[2]) for o in owed if o[0] == "C.1.3"} == {("deadline", date(2025, 7, 7)), ("report", date(2025, 6, 30))}
