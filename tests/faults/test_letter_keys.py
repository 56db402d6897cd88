"""A body's letter of the day is numbered by its own earlier letters only: a ``_`` in a body code
(``DD_HDND``) is a character of the code, not a pattern that also counts another body's letters."""

from datetime import UTC, date, datetime

from models.db import open_database, session_scope
from models.letters import letter_key, open_letter
from models.outbox import Draft

DAY = date(2025, 9, 15)


def _letter(key: str) -> Draft:
    return Draft(key, "chase", None, DAY, 0, "vp@example.org", (), "", f"<{key}@example.org>", "")


def test_a_body_code_with_an_underscore_counts_its_own_letters_only(database_url: str) -> None:
    # Given body AXB's first and second letters of the day (and A_B's of the day before)
    engine = open_database(database_url)
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        for key in ("chase:AXB:2025-09-15", "chase:AXB:2025-09-15:2", "chase:A_B:2025-09-14"):
            open_letter(session, draft=_letter(key), now=now)

    # When the chase numbers the letters of A_B and AXB that come next
    with session_scope(engine) as session:
        first, third = letter_key(session, "A_B", DAY), letter_key(session, "AXB", DAY)
    engine.dispose()

    # Then A_B's is its first letter of the day, and AXB's its third
    assert first == "chase:A_B:2025-09-15"
    assert third == "chase:AXB:2025-09-15:3"
