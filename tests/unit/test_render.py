"""Emails as a body receives them: language, subject, parts, calendar, and no way in for injection."""

from datetime import date
from email import message_from_string
from email.message import Message

from icalendar import Calendar

from config.loading import Configuration
from config.policy import Policy
from models.states import ItemState, Reminder, Rung
from notifications.letters import escalation_email, reminder_email
from notifications.render import to_mime
from workflows.rules.escalation import recipients

DUE = date(2026, 3, 11)


def state(text: str = "Xây dựng kế hoạch.", key: str = "C.I.1.1.2") -> ItemState:
    return ItemState(id=7, key=key, kind="task", text=text, section="C.I.1.1", lead="UBND", cooperating=("DD_MTTQ",),
                     document_due=DUE, due=DUE, reporting_dates=(DUE,))


def parts(raw: str) -> dict[str, Message]:
    message = message_from_string(raw)
    return {part.get_content_type(): part for part in message.walk()} | {"": message}


def payload(part: Message) -> str:
    """A part's content as text, as a mail client decodes it."""
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data.decode()


def test_a_reminder_in_vietnamese_with_text_html_and_a_calendar(configuration: Configuration) -> None:
    email = reminder_email(Reminder(state(), "deadline", DUE, 7), as_of=date(2026, 3, 2), registry=configuration.registry, language="vi")
    assert email.subject == "[dondoc] Nhắc hạn C.I.1.1.2: hạn 11/03/2026"
    assert email.to == ("ubnd@khanhhoa.example.org",) and email.cc == ("dang-doan-mttq@khanhhoa.example.org",)
    assert email.reply_to == ("van-phong@khanhhoa.example.org",)
    _, raw = to_mime(email, sender="dondoc@khanhhoa.example.org")
    got = parts(raw)
    assert "còn 9 ngày nữa đến hạn" in payload(got["text/plain"])
    assert "<strong>C.I.1.1.2</strong>" in payload(got["text/html"])
    event = next(c for c in Calendar.from_ical(payload(got["text/calendar"])).walk() if c.name == "VEVENT")
    assert event.decoded("dtstart") == DUE


def test_english_by_setting(configuration: Configuration) -> None:
    email = reminder_email(Reminder(state(), "deadline", DUE, 0), as_of=DUE, registry=configuration.registry, language="en")
    assert email.subject == "[dondoc] Reminder C.I.1.1.2: due 11/03/2026" and "is due today" in email.text


def test_document_text_is_escaped_in_html_and_cannot_add_a_header(configuration: Configuration) -> None:
    hostile = "Việc <script>alert(1)</script>\r\nBcc: thief@example.com"
    email = reminder_email(Reminder(state(hostile, key="C.1\r\nBcc: thief@example.com"), "deadline", DUE, 1),
                           as_of=date(2026, 3, 10), registry=configuration.registry, language="vi")
    _, raw = to_mime(email, sender="dondoc@khanhhoa.example.org")
    got = parts(raw)
    assert got[""]["Bcc"] is None and "\n" not in str(got[""]["Subject"]).replace("\r\n ", "")
    html = payload(got["text/html"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" in payload(got["text/plain"])


def test_level_one_goes_to_the_lead_with_supervisor_and_coordinator_in_copy(configuration: Configuration) -> None:
    policy = Policy()

    def rung(level: int, late: int) -> Rung:
        return Rung(state(), "deadline", DUE, level, late, *recipients("UBND", level, configuration.registry, policy))

    one = escalation_email(rung(1, 5), as_of=date(2026, 3, 18), registry=configuration.registry, language="vi")
    assert one.to == ("ubnd@khanhhoa.example.org",)
    assert one.cc == ("ban-can-su-ubnd@khanhhoa.example.org", "van-phong@khanhhoa.example.org")
    two = escalation_email(rung(2, 10), as_of=date(2026, 3, 25), registry=configuration.registry, language="vi")
    assert two.to == ("ban-thuong-vu@khanhhoa.example.org",) and "ubnd@khanhhoa.example.org" in two.cc
    assert two.subject == "[dondoc] Đôn đốc cấp 2: C.I.1.1.2 quá hạn 11/03/2026"
