"""Rendering emails: pure functions from what is owed to an :class:`Email`; nothing is sent here.

Templates are Jinja2, Vietnamese by default and English by setting, HTML (autoescaped) with a
plain-text part. Header values are built by us and stripped of line breaks, so document text
can never add a header.

What real mail readers need (issue 8): a ``Date`` in Vietnam time, ``MIME-Version`` on the
message only, a calendar part that declares UTF-8, and subjects whose spaces survive decoding.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import format_datetime, formataddr, getaddresses, parseaddr
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from config.policy import TIMEZONE
from models.outbox import Draft
from notifications.ical import CalendarEvent as CalendarEvent  # the letters import the calendar from here
from notifications.ical import calendar_ics as calendar_ics
from notifications.ical import deadline_event as deadline_event
from notifications.ical import deadline_ics as deadline_ics
from notifications.ical import report_event as report_event
from notifications.mime import fold, folded_once, message_text, part_head
from notifications.mime import header_safe as header_safe

ICS_HEAD = part_head("text", "calendar", "deadline.ics", (("method", "PUBLISH"), ("charset", "utf-8")))
"""The calendar part's headers: UTF-8 declared (without it, readers decode the .ics as ASCII)."""


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
    mid = message_id(email.key, address)
    date = format_datetime((built or datetime.now(ZoneInfo(TIMEZONE))).astimezone(ZoneInfo(TIMEZONE)))
    headers = [fold("Subject", header_safe(email.subject, 250)), folded_once("From", formataddr((sender_name or name, address))),
               fold("Date", date), fold("To", ", ".join(email.to))]
    if email.cc:
        headers.append(fold("Cc", ", ".join(email.cc)))
    if email.reply_to:
        headers.append(folded_once("Reply-To", ", ".join(email.reply_to)))
    headers += [fold("Message-ID", mid), fold("X-Dondoc-Key", header_safe(email.key))]
    files = [] if email.ics is None else [(ICS_HEAD, email.ics)]
    files += [(part_head(a.maintype, a.subtype, a.filename), a.content) for a in email.attachments]
    return mid, message_text("".join(headers), seed=email.key, text=email.text, html=email.html, files=files)


def to_draft(email: Email, *, sender: str) -> Draft:
    """The outbox row of a rendered email: its MIME text, recipients and what makes it once-only.
    The envelope sender is the bare address of ``sender``; its display name goes in From only."""
    mid, raw = to_mime(email, sender=sender)
    recipients = tuple(dict.fromkeys([*email.to, *email.cc]))
    return Draft(email.key, email.kind, email.item_id, email.due_date, email.level, sender_parts(sender)[1], recipients,
                 email.subject, mid, raw)
