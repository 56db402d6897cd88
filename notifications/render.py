"""Rendering emails: pure functions from what is owed to an :class:`Email`; nothing is sent here.

Templates are Jinja2, Vietnamese by default and English by setting, HTML (autoescaped) with a
plain-text part. Header values are built by us and stripped of line breaks, so document text
can never add a header.

What real mail readers need (issue 8): a ``Date`` in Vietnam time, ``MIME-Version`` on the
message only, a calendar part that declares UTF-8, and subjects whose spaces survive decoding.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.header import Header
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, getaddresses, parseaddr
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from config.policy import TIMEZONE
from models.outbox import Draft
from models.states import ItemState

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class _MailPolicy(EmailPolicy):
    """``email.policy.SMTP`` (CRLF, lines of 78) with a Subject folder that keeps every space.

    CPython 3.11's folder, splitting a long Vietnamese subject, can leave the space between two
    words outside the encoded words, where RFC 2047 decoders drop it ("quá hạn" reads "quáhạn"),
    and starts an English subject that does not fit with an empty line. So the Subject is folded
    with :class:`email.header.Header`: all ASCII, at spaces; otherwise wholly as UTF-8 encoded
    words of at most 75 characters, each holding its own spaces. Other headers fold as usual.
    """

    def fold(self, name: str, value: Any) -> str:
        if name.lower() != "subject":
            return str(super().fold(name, value))
        text = str(value)
        header = Header(text, None if text.isascii() else "utf-8", maxlinelen=self.max_line_length, header_name=name)
        return f"{name}: {header.encode(linesep=self.linesep)}{self.linesep}"

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() != "subject":
            return bytes(super().fold_binary(name, value))
        return self.fold(name, value).encode("ascii")

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        """As the email package's, but each (name, text) is parsed once: the daily letters repeat
        most headers (From, Reply-To, every part's Content-Type), and parsing them was most of a
        letter's MIME cost. Header objects are immutable, so two messages can hold the same one."""
        if type(value) is not str:
            return super().header_store_parse(name, value)
        return _parsed_header(self, name, value)


@lru_cache(maxsize=1024)
def _parsed_header(policy: EmailPolicy, name: str, value: str) -> tuple[str, Any]:
    return EmailPolicy.header_store_parse(policy, name, value)


class _HeaderClasses(HeaderRegistry):
    """The email package's header registry, making each header class once (it makes a new class
    for every header it parses)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        made = self._made.get(name.lower())
        if made is None:
            made = self._made[name.lower()] = super().__getitem__(name)
        return made


MAIL_POLICY = _MailPolicy(linesep="\r\n", header_factory=_HeaderClasses())
"""How messages are built and written: CRLF as SMTP wants (a Maildir writer turns it into LF)."""


@dataclass(frozen=True)
class Attachment:
    """A file a letter carries (a review's XLSX form, its report): the name a reader sees, the
    bytes, and the MIME type they open it by."""

    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "octet-stream"


XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Email:
    """A rendered email and what makes it once-only."""

    key: str
    kind: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    subject: str
    text: str
    html: str
    ics: bytes | None = None
    item_id: int | None = None
    due_date: date | None = None
    level: int = 0
    attachments: tuple[Attachment, ...] = ()


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def render_parts(name: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of template ``name`` in ``language``."""
    env = environment()
    text = env.get_template(f"{language}/{name}.txt").render(**context)
    html = env.get_template(f"{language}/{name}.html").render(body_text=text, **context)
    return text, html


def header_safe(value: str, limit: int = 200) -> str:
    """One line, no control characters, at most ``limit`` characters: safe for any header."""
    value = " ".join(_CONTROL.sub(" ", value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def message_id(key: str, sender: str) -> str:
    """A Message-ID derived from the idempotency key, so a resend is recognisably the same mail."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "dondoc.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def sender_parts(sender: str) -> tuple[str, str]:
    """(display name, address) of ``DONDOC_MAIL_FROM``, one address with an optional name (the
    settings refuse anything else); the name is "dondoc" where none is given."""
    name, address = getaddresses([sender])[0]
    return header_safe(name, 120) or "dondoc", address


def to_mime(email: Email, *, sender: str, sender_name: str | None = None, built: datetime | None = None) -> tuple[str, str]:
    """Build the MIME message; returns (Message-ID, the message as ASCII text with CRLF line ends).

    ``sender`` may carry a display name ("Văn phòng Tỉnh ủy <vp@...>"), shown in From unless
    ``sender_name`` is given. ``Date`` is when the message is built (``built``, default now) in
    Vietnam time: a reader without it shows the letter as sent in 1970, and spam filters mark it.
    """
    name, address = sender_parts(sender)
    msg = EmailMessage(policy=MAIL_POLICY)
    mid = message_id(email.key, address)
    msg["Subject"] = header_safe(email.subject, 250)
    msg["From"] = formataddr((sender_name or name, address))
    msg["Date"] = format_datetime((built or datetime.now(ZoneInfo(TIMEZONE))).astimezone(ZoneInfo(TIMEZONE)))
    msg["To"] = ", ".join(email.to)
    if email.cc:
        msg["Cc"] = ", ".join(email.cc)
    if email.reply_to:
        msg["Reply-To"] = ", ".join(email.reply_to)
    msg["Message-ID"] = mid
    msg["X-Dondoc-Key"] = header_safe(email.key)
    msg.set_content(email.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if email.ics is not None:  # the .ics text is UTF-8: without the charset, readers decode it as ASCII
        msg.add_attachment(email.ics, maintype="text", subtype="calendar", filename="deadline.ics",
                           params={"method": "PUBLISH", "charset": "utf-8"})
    for attached in email.attachments:  # the file name may be Vietnamese: encoded per RFC 2231
        msg.add_attachment(attached.content, maintype=attached.maintype, subtype=attached.subtype,
                           filename=attached.filename)
    for part in msg.walk():  # each part was built as a message of its own; only the message is MIME 1.0
        if part is not msg:
            del part["MIME-Version"]
    return mid, msg.as_string()


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
    item deadline however often it moves; SEQUENCE is the days it moved past the document's date,
    which every approved extension increases (an extension must move the date later)."""
    day = due or item.due
    summary = _SUMMARY[("deadline", language)].format(key=item.key, words=_first_words(item.text))
    return CalendarEvent(f"{item.id}:deadline", summary, item.text, day, max(0, (item.due - item.document_due).days))


def report_event(item: ItemState, day: date, language: str) -> CalendarEvent:
    """The event of one reporting date of an item: an event per date, which never moves."""
    summary = _SUMMARY[("report", language)].format(key=item.key, day=day.strftime("%d/%m/%Y"), words=_first_words(item.text))
    return CalendarEvent(f"{item.id}:report:{day.isoformat()}", summary, item.text, day, 0)


def calendar_ics(events: list[CalendarEvent], *, stamp: date) -> bytes:
    """One VCALENDAR with a VEVENT per event (each with a reminder the day before); an event listed
    twice (same UID) is written once. ``stamp`` is the DTSTAMP, the day the letter is written."""
    from datetime import UTC, timedelta

    from icalendar import Alarm, Calendar, Event

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


def deadline_ics(*, key: str, title: str, description: str, due: date, stamp: date, sequence: int = 0) -> bytes:
    """A calendar of one all-day event (the single-item reminder's attachment): see
    :class:`CalendarEvent` for what ``key`` and ``sequence`` must be."""
    return calendar_ics([CalendarEvent(key, title, description, due, sequence)], stamp=stamp)


def to_draft(email: Email, *, sender: str) -> Draft:
    """The outbox row of a rendered email: its MIME text, recipients and what makes it once-only.
    The envelope sender is the bare address of ``sender``; its display name goes in From only."""
    mid, raw = to_mime(email, sender=sender)
    recipients = tuple(dict.fromkeys([*email.to, *email.cc]))
    return Draft(email.key, email.kind, email.item_id, email.due_date, email.level, sender_parts(sender)[1], recipients,
                 email.subject, mid, raw)
