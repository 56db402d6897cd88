"""The letter of an extension decision, and a calendar with one event per deadline (issue 9).

A body that asks for more time learns the answer from a letter of the Office (once, however often
the command runs), and its calendar moves the deadline event it holds: one UID per item deadline,
whatever letter carried it, and a higher SEQUENCE when the date moves.
"""

import email
import json
from datetime import date
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from icalendar import Calendar

from config.loading import Configuration
from models.states import ItemState
from notifications.render import calendar_ics, deadline_event, report_event
from tests.faults.test_commands import dondoc, ok, scalar


def _letters(home: Path) -> list[EmailMessage]:
    found = []
    for path in sorted((home / "Maildir" / "new").iterdir()):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        assert message.defects == [] and all(part.defects == [] for part in message.walk()), path
        found.append(message)
    return found


def _keyed(letters: list[EmailMessage], prefix: str) -> list[EmailMessage]:
    return [m for m in letters if str(m["X-Dondoc-Key"]).startswith(prefix)]


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return " ".join(str(part.get_content()).split())


def _events(message: EmailMessage) -> list[tuple[str, int, date, str]]:
    """(UID, SEQUENCE, start, SUMMARY) of each VEVENT of the message's calendar part."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    events = []
    for part in parts:
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        for event in Calendar.from_ical(data.decode("utf-8")).walk("VEVENT"):
            events.append((str(event["uid"]), int(str(event.get("sequence", 0))), event.decoded("dtstart"), str(event["summary"])))
    return events


def test_an_approved_extension_is_written_once_to_the_body_that_asked_with_the_new_date(
    database_url: str, tmp_path: Path, configuration: Configuration
) -> None:
    # Given D.III (due 01/04/2021, led by BCSD_UBND) whose deadline reminder went out on 31/03/2021,
    # and a request to move it to 30/06/2021
    home, url = tmp_path, database_url
    ok(home, url, "ingest", "--sample")
    ok(home, url, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ Trung ương hướng dẫn", "--as-of", "2021-03-20")
    ok(home, url, "remind", "--as-of", "2021-03-31")
    # When the Office approves it with a note, and the command is run a second time
    ok(home, url, "extension", "approve", "1", "--note", "Đồng ý, báo cáo kết quả trước 30/6", "--as-of", "2021-04-09")
    again = dondoc(home, url, "extension", "approve", "1", "--as-of", "2021-04-09")
    assert again.returncode == 6
    ok(home, url, "outbox", "dispatch")
    # Then one letter, queued with the decision, reached the requesting body and says the decision
    assert scalar(url, "select count(*) from outbox where kind = 'extension'") == 1
    assert scalar(url, "select count(*) from outbox where key = 'extension:1:approved'") == 1
    letters = _letters(home)
    (letter,) = _keyed(letters, "extension:")
    assert [a.addr_spec for a in letter["To"].addresses] == list(configuration.registry.bodies["BCSD_UBND"].emails)
    said = _plain(letter)
    assert "Kính gửi: Ban cán sự đảng Ủy ban nhân dân tỉnh" in said and "D.III" in said
    assert "Thời hạn trước khi đề nghị: 01/04/2021" in said and "Thời hạn đề nghị: 30/06/2021" in said
    assert "CHẤP THUẬN gia hạn" in said and "Đồng ý, báo cáo kết quả trước 30/6" in said
    assert "Thời hạn có hiệu lực: 30/06/2021" in said
    assert "30/06/2021" in str(letter["Subject"])
    html = letter.get_body(preferencelist=("html",))
    assert html is not None and '<meta charset="utf-8">' in str(html.get_content())
    # And its calendar moves the event the reminder put in the body's calendar
    (reminded,) = [e for m in _keyed(letters, "reminder:") if "D.III" in str(m["Subject"]) for e in _events(m)]
    (moved,) = _events(letter)
    assert moved[0] == reminded[0], "the same UID, or calendars keep the old date as a second event"
    assert moved[1] > reminded[1] and moved[2] == date(2021, 6, 30)
    assert moved[3].startswith("Hạn hoàn thành D.III: ")


def test_a_refusal_and_a_revocation_are_written_too_each_once(database_url: str, tmp_path: Path) -> None:
    home, url = tmp_path, database_url
    ok(home, url, "ingest", "--sample")
    items = {i["key"]: i for i in json.loads(ok(home, url, "items", "--format", "json"))["items"]}
    key = next(k for k, i in items.items() if i["cooperating"] and i["due"] > "2021-07-01")
    asker = items[key]["cooperating"][0]
    # A cooperating body asks; the Office refuses: the letter goes to the body that asked
    ok(home, url, "extend", key, "--to", "2026-06-30", "--reason", "Thiếu kinh phí", "--body", asker, "--as-of", "2021-05-03")
    ok(home, url, "extension", "refuse", "1", "--note", "Đề nghị bố trí nguồn lực", "--as-of", "2021-05-10")
    # D.III is approved, then the approval is taken back
    ok(home, url, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ hướng dẫn", "--as-of", "2021-03-20")
    ok(home, url, "extension", "approve", "2", "--as-of", "2021-03-25")
    ok(home, url, "extension", "revoke", "2", "--note", "Nhập nhầm ngày", "--as-of", "2021-03-26")
    assert dondoc(home, url, "extension", "revoke", "2", "--note", "lần hai", "--as-of", "2021-03-26").returncode == 6
    ok(home, url, "outbox", "dispatch")
    assert scalar(url, "select count(*) from outbox where kind = 'extension'") == 3
    letters = _letters(home)
    (refused,) = _keyed(letters, "extension:1:refused")
    said = _plain(refused)
    assert "KHÔNG CHẤP THUẬN gia hạn" in said and "Đề nghị bố trí nguồn lực" in said
    assert f"Thời hạn có hiệu lực: {date.fromisoformat(items[key]['due']).strftime('%d/%m/%Y')}" in said
    assert refused["Cc"] is not None, "the lead hears of a request another body made on its item"
    assert _events(refused) == [], "nothing moved: no calendar update"
    (approved,) = _keyed(letters, "extension:2:approved")
    (revoked,) = _keyed(letters, "extension:2:revoked")
    assert "THU HỒI" in _plain(revoked) and "Thời hạn có hiệu lực: 01/04/2021" in _plain(revoked)
    (before,), (after,) = _events(approved), _events(revoked)
    assert after[0] == before[0] and after[2] == date(2021, 4, 1)
    assert after[1] > before[1], "moving the event back needs a higher SEQUENCE too, or calendars keep 30/06"


def _item(item_id: int, key: str, due: date, document_due: date | None = None) -> ItemState:
    return ItemState(item_id, key, "task", f"Nhiệm vụ {key}: tập trung khai thác các tiềm năng, lợi thế của tỉnh để phát triển",
                     "C.I", "UBND", (), document_due or due, due, (date(2021, 6, 30),))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_letter_calendar_has_one_event_per_deadline_with_a_summary_that_says_what_is_due(language: str) -> None:
    first, second = _item(1, "C.I.1.1.2", date(2021, 12, 31)), _item(2, "C.I.1.1.3", date(2022, 6, 30))
    events = [deadline_event(first, language), deadline_event(second, language), report_event(first, date(2021, 6, 30), language),
              deadline_event(first, language)]  # listed twice: one event
    calendar = Calendar.from_ical(calendar_ics(events, stamp=date(2021, 6, 1)))
    vevents = list(calendar.walk("VEVENT"))
    assert len(vevents) == 3 and len({str(e["uid"]) for e in vevents}) == 3
    summaries = [str(e["summary"]) for e in vevents]
    lead = "Hạn hoàn thành" if language == "vi" else "Deadline"
    assert summaries[0].startswith(f"{lead} C.I.1.1.2: Nhiệm vụ C.I.1.1.2: tập trung")
    assert summaries[1].startswith(f"{lead} C.I.1.1.3: ") and "30/06/2021" in summaries[2]
    assert [e.decoded("dtstart") for e in vevents] == [date(2021, 12, 31), date(2022, 6, 30), date(2021, 6, 30)]
    # An extension moves the same event (same UID) with a higher SEQUENCE
    moved = _item(1, "C.I.1.1.2", date(2022, 3, 31), document_due=date(2021, 12, 31))
    (after,) = Calendar.from_ical(calendar_ics([deadline_event(moved, language)], stamp=date(2021, 12, 1))).walk("VEVENT")
    assert str(after["uid"]) == str(vevents[0]["uid"])
    assert int(str(after["sequence"])) > int(str(vevents[0]["sequence"])) and after.decoded("dtstart") == date(2022, 3, 31)
