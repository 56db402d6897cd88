"""Two sweeps that reach the same rungs at once (two schedulers, or a sweep by hand during a
scheduled one) record each rung once, and neither fails on the other's row."""

import threading
from datetime import UTC, date, datetime

from sqlalchemy import text

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.escalations import RungRecord, record_rungs
from workflows.orchestration.ingest import parse_file, sample_path, store


def test_two_sweeps_at_once_record_each_rung_once(database_url: str, configuration: Configuration) -> None:
    # Given the sample stored, and two rungs owed on one day
    engine = open_database(database_url)
    programme = parse_file(sample_path(), settings=Settings(), configuration=configuration)
    store(engine, programme, source="sample", configuration=configuration, actor="test")
    with engine.connect() as connection:
        ids = [row[0] for row in connection.execute(text("select id from item order by id limit 2"))]
    rungs = [RungRecord(i, "deadline", date(2021, 4, 1), 1, "test") for i in ids]
    now = datetime.now(UTC)

    # When a second sweep records them while the first has them written but not yet committed
    first_wrote, counts, errors = threading.Event(), {}, []

    def second() -> None:
        first_wrote.wait(10)
        other = open_database(database_url)
        try:
            with session_scope(other) as session:
                counts["second"] = record_rungs(session, rungs=rungs, on=date(2021, 4, 9), now=now)
        except Exception as error:  # the failure this test guards against
            errors.append(error)
        finally:
            other.dispose()

    thread = threading.Thread(target=second)
    thread.start()
    with session_scope(engine) as session:
        counts["first"] = record_rungs(session, rungs=rungs, on=date(2021, 4, 9), now=now)
        session.flush()
        first_wrote.set()
        thread.join(0.5)  # the second waits on the first's write
    thread.join(30)

    # Then each rung is recorded once, and the second sweep neither failed nor counted them again
    assert errors == [] and counts == {"first": 2, "second": 0}
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from escalation")).scalar_one() == 2
    engine.dispose()
