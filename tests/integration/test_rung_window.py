"""The rungs' selection lets the database find the items that may have missed a date (due long
enough ago, or a reporting date with no report for it); day by day, it must owe exactly the rungs
the ladder's rules find reading every open item and its whole report history."""

from datetime import date, timedelta
from pathlib import Path

from config.loading import Configuration
from models.db import session_scope
from models.item_states import item_states
from models.queries import find_document
from models.reports import active_item
from models.tables import ProgressReport
from tests.integration.test_sweep_window import stored
from workflows.orchestration.chase import owed_rungs
from workflows.rules import reporting
from workflows.rules.escalation import rungs

DAYS = ((date(2024, 7, 1), date(2024, 8, 10)), (date(2025, 1, 1), date(2025, 2, 20)), (date(2025, 6, 25), date(2025, 9, 20)),
        (date(2026, 1, 1), date(2026, 3, 20)))


def test_the_narrowed_rungs_are_those_of_every_open_item(database_url: str, configuration: Configuration, tmp_path: Path) -> None:
    policy = configuration.policy
    engine = stored(database_url, configuration)
    with session_scope(engine) as session:
        # a gap: C.1.1's reporting date of 31/12/2025 answered, not the one of 30/06/2025 before it;
        # and a report for a date that is none of its reporting dates (which answers none)
        gap = active_item(session, document=find_document(session), key="C.1.1")
        for period in (date(2025, 12, 31), date(2025, 3, 31)):
            session.add(ProgressReport(item_id=gap.id or 0, body_code="UBND", status="in_progress", values={},
                                       period=period, submitted_on=date(2025, 12, 30), actor="test"))
    with session_scope(engine) as session:
        everything = item_states(session, reporting=reporting.rule(policy.reporting_cadence), open_only=True)

    owed = []
    for start, end in DAYS:
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1)):
            narrowed = [(g.item.key, g.subject, g.since, g.level) for g in owed_rungs(engine, configuration, day)]
            full = [(g.item.key, g.subject, g.since, g.level) for item in everything
                    for g in rungs(item, day, policy, configuration.registry)]
            assert narrowed == full, day
            owed += narrowed
    engine.dispose()

    # the traps are among what was owed: the gap's earlier reporting date, the moved deadline
    assert ("C.1.1", "report", date(2025, 6, 30), 2) in owed  # never answered
    assert not [o for o in owed if o[0] == "C.1.1" and o[2] == date(2025, 12, 31)]
    assert {o[2] for o in owed if o[0] == "C.1.3" and o[1] == "deadline"} == {date(2025, 7, 7)}
