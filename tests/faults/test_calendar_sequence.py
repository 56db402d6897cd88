"""A deadline's calendar event never goes back in SEQUENCE (issue 9, "SEQUENCE on change").

A calendar keeps the version of an event (same UID) with the highest SEQUENCE and ignores a lower
one. The SEQUENCE was the days the deadline stood past the document's date: an approval taken
back put it back to 0, so the next letter's event (the original date again) was ignored by a
calendar that held the revocation's, and would have been by one that held the approval's.
"""

from datetime import date
from pathlib import Path

from tests.faults.test_commands import ok
from tests.integration.test_letters_q import _events, _keyed, _letters


def test_the_deadline_event_after_a_revoked_extension_is_numbered_above_every_earlier_one(database_url: str, tmp_path: Path) -> None:
    # Given D.III (due 01/04/2021, led by BCSD_UBND), moved to 30/06/2021 and moved back
    home, url = tmp_path, database_url
    ok(home, url, "ingest", "--sample")
    ok(home, url, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ hướng dẫn", "--as-of", "2021-03-20")
    ok(home, url, "extension", "approve", "1", "--as-of", "2021-03-25")
    ok(home, url, "extension", "revoke", "1", "--note", "Nhập nhầm ngày", "--as-of", "2021-03-26")
    # When the day's chase reminds its lead of the deadline, the day before it
    ok(home, url, "chase", "--as-of", "2021-03-31")
    ok(home, url, "outbox", "dispatch")
    # Then the letter's event for D.III is the same event, on 01/04, numbered above both decisions' events
    letters = _letters(home)
    (approved,), (revoked,) = _events(_keyed(letters, "extension:1:approved")[0]), _events(_keyed(letters, "extension:1:revoked")[0])
    chased = [e for m in _keyed(letters, "chase:BCSD_UBND:") for e in _events(m) if e[0] == approved[0]]
    assert len(chased) == 1 and chased[0][2] == date(2021, 4, 1)
    assert approved[1] < revoked[1] <= chased[0][1], (approved[1], revoked[1], chased[0][1])
