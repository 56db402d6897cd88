"""The calendar attachment written by hand (notifications/ical.py) is what icalendar wrote: byte for
byte for the same events, and every event reads back with its UID, SEQUENCE, DTSTART and SUMMARY."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event

from notifications.ical import CalendarEvent, calendar_ics
from notifications.mime import header_safe

STAMP = date(2025, 9, 15)


def with_icalendar(events: list[CalendarEvent], *, stamp: date) -> bytes:
    """The writer this module replaced: the events through icalendar's component tree."""
    calendar = Calendar()
    calendar.add("prodid", "-//dondoc//dondoc//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    seen: set[str] = set()
    for item in events:
        if item.uid in seen:
            continue
        seen.add(item.uid)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC))
        event.add("sequence", item.sequence)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", header_safe(item.summary, 250))
        event.add("description", item.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", header_safe(item.summary, 250))
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


WORDS = st.text(st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự ,;:\\^\"'.\n\r\tN-–…😀"), max_size=220)
EVENTS = st.lists(st.builds(
    CalendarEvent, uid_key=st.sampled_from(["1:deadline", "2:deadline", "3:report:2025-06-30", "review:4:UBND"]),
    summary=WORDS, description=WORDS, due=st.dates(date(2021, 1, 1), date(2030, 12, 31)), sequence=st.integers(0, 400),
), max_size=6)


def events_read(ics: bytes) -> list[tuple[str, int, date, str]]:
    return [(str(e["uid"]), int(str(e["sequence"])), e.decoded("dtstart"), str(e["summary"]))
            for e in Calendar.from_ical(ics).walk("VEVENT")]


def test_a_letters_calendar_is_what_icalendar_wrote() -> None:
    events = [
        CalendarEvent("12:deadline", "Hạn hoàn thành C.I.1.1.2: Xây dựng, ban hành kế hoạch; triển khai…", "Xây dựng, ban hành "
                      "kế hoạch thực hiện Nghị quyết; báo cáo Ban Thường vụ Tỉnh ủy.\nDòng hai \\ gạch chéo", date(2026, 3, 11), 62),
        CalendarEvent("12:report:2025-06-30", "Hạn báo cáo tiến độ C.I.1.1.2 (kỳ 30/06/2025): Xây dựng", "Ngắn.", date(2025, 6, 30)),
        CalendarEvent("12:deadline", "listed twice, written once", "", date(2026, 3, 11)),
    ]
    written = calendar_ics(events, stamp=STAMP)
    assert written == with_icalendar(events, stamp=STAMP)
    assert events_read(written) == [(events[0].uid, 62, date(2026, 3, 11), header_safe(events[0].summary, 250)),
                                    (events[1].uid, 0, date(2025, 6, 30), events[1].summary)]


@settings(max_examples=300, deadline=None)
@given(EVENTS)
def test_any_events_are_written_as_icalendar_wrote_them_and_read_back(events: list[CalendarEvent]) -> None:
    written = calendar_ics(events, stamp=STAMP)
    assert written == with_icalendar(events, stamp=STAMP)
    first: dict[str, CalendarEvent] = {}
    for event in events:
        first.setdefault(event.uid, event)
    assert [(uid, seq, due) for uid, seq, due, _ in events_read(written)] == [(e.uid, e.sequence, e.due) for e in first.values()]
    assert max(len(line) for line in written.split(b"\r\n")) <= 75


def test_control_characters_of_a_word_file_never_reach_the_calendar() -> None:
    # a vertical tab (Word's line break) and a form feed in an item's text: RFC 5545 allows no
    # control character but the line break in TEXT, and a calendar reader refuses the event
    text = "Rà soát\x0bquy hoạch\x0ctỉnh\x1f; báo cáo\nkết quả"
    ics = calendar_ics([CalendarEvent("1:deadline", "Hạn hoàn thành C.I.1", text, date(2025, 12, 31))], stamp=STAMP)
    assert not any(ch in ics for ch in (b"\x0b", b"\x0c", b"\x1f"))
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "Rà soát quy hoạch tỉnh; báo cáo\nkết quả"
