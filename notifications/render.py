"""Rendering emails: pure functions from what is owed to an :class:`Email`; nothing is sent here.

Templates are Jinja2, Vietnamese by default and English by setting, HTML (autoescaped) with a
plain-text part. Header values are built by us and stripped of line breaks, so document text
can never add a header.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, parseaddr
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from models.outbox import Draft

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


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


def to_mime(email: Email, *, sender: str, sender_name: str = "dondoc") -> tuple[str, str]:
    """Build the MIME message; returns (Message-ID, the message as ASCII text)."""
    msg = EmailMessage(policy=SMTP)
    mid = message_id(email.key, sender)
    msg["Subject"] = header_safe(email.subject, 250)
    msg["From"] = formataddr((sender_name, sender))
    msg["To"] = ", ".join(email.to)
    if email.cc:
        msg["Cc"] = ", ".join(email.cc)
    if email.reply_to:
        msg["Reply-To"] = ", ".join(email.reply_to)
    msg["Message-ID"] = mid
    msg["X-Dondoc-Key"] = header_safe(email.key)
    msg.set_content(email.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if email.ics is not None:
        msg.add_attachment(email.ics, maintype="text", subtype="calendar", filename="deadline.ics",
                           params={"method": "PUBLISH"})
    return mid, msg.as_string()


def deadline_ics(*, key: str, title: str, description: str, due: date, stamp: date) -> bytes:
    """An all-day calendar event on the due date, with a stable UID so calendars update it."""
    from datetime import UTC, datetime, timedelta

    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//dondoc//dondoc//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@dondoc")
    event.add("dtstamp", datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC))
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("summary", header_safe(title, 250))
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", header_safe(title, 250))
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def to_draft(email: Email, *, sender: str) -> Draft:
    """The outbox row of a rendered email: its MIME text, recipients and what makes it once-only."""
    mid, raw = to_mime(email, sender=sender)
    recipients = tuple(dict.fromkeys([*email.to, *email.cc]))
    return Draft(email.key, email.kind, email.item_id, email.due_date, email.level, sender, recipients,
                 email.subject, mid, raw)
