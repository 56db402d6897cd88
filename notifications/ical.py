"""A letter's calendar attachment (RFC 5545): one all-day event per deadline or reporting date.

The text is written here, not through ``icalendar``'s component tree: a chase letter carries a
calendar, a thousand letters a day, and building and serialising the tree (a parameter object per
property, a fold per line, character by character) cost as much as the letter's MIME. What is
written is what ``icalendar`` 7 wrote for the same events, byte for byte: the same properties in
the same order, TEXT escaped the same way, lines folded at the same places
(``tests/unit/test_ical.py`` compares the two, and reads each event back with
``icalendar.Calendar.from_ical``).
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from models.states import ItemState
from notifications.mime import header_safe


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event of a letter's calendar attachment: a deadline or a reporting date.

    ``uid_key`` names the event, never its date (``"{item id}:deadline"``; a reporting date, which
    never moves, ``"{item id}:report:{yyyy-mm-dd}"``), so a calendar updates the event it holds when
    an extension moves it; ``sequence`` must then be higher (RFC 5545), or the calendar keeps the
    older version. ``summary`` says what falls due, not the email's subject.
    """

    uid_key: str
    summary: str
    description: str
    due: date
    sequence: int = 0

    @property
    def uid(self) -> str:
        return f"{hashlib.sha256(self.uid_key.encode()).hexdigest()[:32]}@dondoc"


def _first_words(text: str, limit: int = 60) -> str:
    text = header_safe(text, 10_000)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut or text[:limit]).rstrip(" ,;:.") + "…"


_SUMMARY = {
    ("deadline", "vi"): "Hạn hoàn thành {key}: {words}",
    ("deadline", "en"): "Deadline {key}: {words}",
    ("report", "vi"): "Hạn báo cáo tiến độ {key} (kỳ {day}): {words}",
    ("report", "en"): "Progress report {key} (period {day}): {words}",
}


def deadline_event(item: ItemState, language: str, due: date | None = None) -> CalendarEvent:
    """The event of an item's deadline, on ``due`` (default: the due date in force). One UID per
    item deadline however often it moves, with its SEQUENCE (:func:`deadline_sequence`)."""
    day = due or item.due
    summary = _SUMMARY[("deadline", language)].format(key=item.key, words=_first_words(item.text))
    return CalendarEvent(f"{item.id}:deadline", summary, item.text, day, deadline_sequence(item))


def deadline_sequence(item: ItemState) -> int:
    """The SEQUENCE of an item's deadline event: what its stored extension decisions say
    (``ItemState.deadline_sequence``, which never decreases and grows with every move), and at
    least the days the deadline stands past the document's date (an item built without the
    decisions read, as the letters' tests build them)."""
    return max(item.deadline_sequence, (item.due - item.document_due).days, 0)


def report_event(item: ItemState, day: date, language: str) -> CalendarEvent:
    """The event of one reporting date of an item: an event per date, which never moves."""
    summary = _SUMMARY[("report", language)].format(key=item.key, day=day.strftime("%d/%m/%Y"), words=_first_words(item.text))
    return CalendarEvent(f"{item.id}:report:{day.isoformat()}", summary, item.text, day, 0)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (and ``icalendar``: a ``\\N`` read as a line break first).
    RFC 5545 allows no control character but the line break in TEXT, and calendar readers refuse
    the event: a Word file's vertical tab or page break becomes a space, any other is dropped."""
    value = _CONTROL.sub("", value.replace("\x0b", " ").replace("\x0c", " "))
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _line(line: str) -> str:
    """One content line, folded after at most 74 octets (a continuation line starts with a space),
    never between a backslash or caret and the character it escapes; ended by CRLF."""
    if len(line) < 75 and (line.isascii() or len(line.encode()) < 75):
        return line + "\r\n"
    folded: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= 75:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            folded.append("".join(current))
            current, size = ([carried], len(carried)) if carried else ([], 0)
        current.append(char)
        size += width
    folded.append("".join(current))
    return "\r\n ".join(folded) + "\r\n"


def calendar_ics(events: list[CalendarEvent], *, stamp: date) -> bytes:
    """One VCALENDAR with a VEVENT per event (each with a reminder the day before); an event listed
    twice (same UID) is written once. ``stamp`` is the DTSTAMP, the day the letter is written."""
    lines = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dondoc//dondoc//VI\r\nMETHOD:PUBLISH\r\n"]
    dtstamp = f"DTSTAMP:{stamp:%Y%m%d}T000000Z\r\n"
    seen: set[str] = set()
    for event in events:
        uid = event.uid
        if uid in seen:
            continue
        seen.add(uid)
        summary = _text(header_safe(event.summary, 250))
        lines += [
            "BEGIN:VEVENT\r\n", _line(f"SUMMARY:{summary}"), f"DTSTART;VALUE=DATE:{event.due:%Y%m%d}\r\n",
            f"DTEND;VALUE=DATE:{event.due + timedelta(days=1):%Y%m%d}\r\n", dtstamp, _line(f"UID:{uid}"),
            f"SEQUENCE:{event.sequence}\r\n", _line(f"DESCRIPTION:{_text(event.description)}"),
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\n", _line(f"DESCRIPTION:{summary}"), "TRIGGER:-P1D\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        ]
    lines.append("END:VCALENDAR\r\n")
    return "".join(lines).encode()


def deadline_ics(*, key: str, title: str, description: str, due: date, stamp: date, sequence: int = 0) -> bytes:
    """A calendar of one all-day event (the single-item reminder's attachment): see
    :class:`CalendarEvent` for what ``key`` and ``sequence`` must be."""
    return calendar_ics([CalendarEvent(key, title, description, due, sequence)], stamp=stamp)


