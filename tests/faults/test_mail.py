"""Mail as real clients read it (issue 8, "Mail that real clients show wrongly").

mutt, neomutt, calendar parsers and SpamAssassin read what dondoc writes. Each test here checks
what one of them would get wrong: the date of a letter, the line ends of a Maildir file, the
characters of a calendar event or a subject, the event that an extension moves, the sender, and
a password that would go out in clear.
"""

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from config.loading import Configuration
from notifications.letters import SUBJECTS
from notifications.render import Email, header_safe, to_draft, to_mime
from tests.acceptance.test_cli import ok, run
from workflows.orchestration.ingest import sample_path
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

SENDER = "Văn phòng Tỉnh ủy Khánh Hòa <van-phong@khanhhoa.example.org>"


@dataclass(frozen=True)
class Delivered:
    """The Maildir of a short chase, and when its letters were built."""

    files: list[bytes]
    started: datetime
    finished: datetime

    def messages(self) -> list[EmailMessage]:
        parsed = [email.message_from_bytes(raw, policy=default) for raw in self.files]
        return [m for m in parsed if isinstance(m, EmailMessage)]


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Delivered:
    """Given the sample, D.III (due 01/04/2021) asks for more time; the reminders of 31/03/2021 go
    out; the extension to 30/06/2021 is approved, and the reminders of 29/06/2021 go out, all into
    the local Maildir, from an address with a Vietnamese display name."""
    home = tmp_path_factory.mktemp("home")
    env = {"DONDOC_MAIL_FROM": SENDER}
    started = datetime.now(UTC).replace(microsecond=0)
    ok(home, "ingest", "--sample", env=env)
    ok(home, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ Trung ương hướng dẫn", "--as-of", "2021-03-20", env=env)
    ok(home, "remind", "--as-of", "2021-03-31", env=env)
    ok(home, "outbox", "dispatch", env=env)
    ok(home, "extension", "approve", "1", "--as-of", "2021-04-09", env=env)
    ok(home, "remind", "--as-of", "2021-06-29", env=env)
    ok(home, "outbox", "dispatch", env=env)
    finished = datetime.now(UTC) + timedelta(seconds=1)
    new = home / "Maildir" / "new"
    files = [path.read_bytes() for path in sorted(new.iterdir())]
    assert len(files) >= 4, "the chase should have delivered the reminders of both days"
    return Delivered(files, started, finished)


def test_every_message_has_a_date_in_vietnam_time_from_when_it_was_built(delivered: Delivered) -> None:
    for message in delivered.messages():
        assert message["Date"] is not None, "mutt shows a message without Date as 01/01/1970"
        sent = parsedate_to_datetime(str(message["Date"]))
        assert sent.utcoffset() == timedelta(hours=7)
        assert delivered.started <= sent <= delivered.finished


def test_maildir_files_end_their_lines_with_lf_not_crlf(delivered: Delivered) -> None:
    for raw in delivered.files:
        assert b"\r" not in raw, "mutt shows ^M at the end of every header line"
        assert raw.count(b"\n") > 10


def test_only_the_top_level_message_declares_its_mime_version(delivered: Delivered) -> None:
    for raw, message in zip(delivered.files, delivered.messages(), strict=True):
        assert message["MIME-Version"] == "1.0"
        assert [p.get_content_type() for p in message.walk() if p is not message and "MIME-Version" in p] == []
        assert raw.count(b"MIME-Version:") == 1


def _calendar_parts(message: EmailMessage) -> list[EmailMessage]:
    return [p for p in message.walk() if isinstance(p, EmailMessage) and p.get_content_type() == "text/calendar"]


def test_the_calendar_part_declares_utf8_and_its_vietnamese_reads_back(delivered: Delivered) -> None:
    reminders = [m for m in delivered.messages() if _calendar_parts(m)]
    assert reminders
    for message in reminders:
        (part,) = _calendar_parts(message)
        assert part.get_param("method") == "PUBLISH"
        charset = part.get_content_charset()
        assert charset == "utf-8", "without a charset, readers decode the .ics as ASCII"
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        event = next(c for c in Calendar.from_ical(data.decode(charset)).walk() if c.name == "VEVENT")
        summary = str(event["summary"])
        if str(message["X-Dondoc-Key"]).startswith("reminder:"):  # the single-item reminder's event is its subject
            assert summary == str(message["Subject"]) and "Nhắc" in summary
        else:  # a letter's events say what falls due (issue 9), not the letter's subject
            assert summary.startswith(("Hạn hoàn thành ", "Hạn báo cáo tiến độ ")), summary


def _event(message: EmailMessage) -> tuple[str, int, str]:
    (part,) = _calendar_parts(message)
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    event = next(c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT")
    return str(event["uid"]), int(event.get("sequence", 0)), event.decoded("dtstart").isoformat()


def test_an_approved_extension_moves_the_same_calendar_event_with_a_higher_sequence(delivered: Delivered) -> None:
    deadline = [m for m in delivered.messages() if str(m["Subject"]).startswith("[dondoc] Nhắc hạn D.III:")]
    events = sorted((_event(m) for m in deadline), key=lambda event: event[2])
    assert [day for _, _, day in events] == ["2021-04-01", "2021-06-30"], "a reminder before and one after the extension"
    (before_uid, before_seq, _), (after_uid, after_seq, _) = events
    assert after_uid == before_uid, "a new UID makes calendars keep the old event and add a second one"
    assert after_seq > before_seq


def test_the_display_name_of_mail_from_is_the_sender_shown(delivered: Delivered) -> None:
    for message in delivered.messages():
        (sender,) = message["From"].addresses
        assert (sender.display_name, sender.addr_spec) == ("Văn phòng Tỉnh ủy Khánh Hòa", "van-phong@khanhhoa.example.org")


def test_the_envelope_sender_is_the_bare_address() -> None:
    letter = Email(key="k", kind="reminder", to=("ubnd@khanhhoa.example.org",), cc=(), reply_to=(),
                   subject="[dondoc] Nhắc hạn", text="x", html="<p>x</p>")
    assert to_draft(letter, sender=SENDER).sender == "van-phong@khanhhoa.example.org"


def _sample_keys(configuration: Configuration) -> list[str]:
    text = read_document(sample_path(), max_bytes=10**8)
    programme = parse_programme(text, rules=configuration.rules, policy=configuration.policy)
    return [item.key for item in programme.items]


def _header_lines(raw: str) -> Iterator[str]:
    yield from raw.split("\r\n\r\n", 1)[0].split("\r\n")


def test_every_subject_decodes_to_exactly_what_was_built(configuration: Configuration) -> None:
    keys = _sample_keys(configuration)
    assert len(keys) == 136
    wrong: list[tuple[str, str]] = []
    for (kind, _, _), template in SUBJECTS.items():
        for key in keys:
            subject = header_safe(template.format(key=key, due="31/12/2025", level=2, overdue=117, reports=130), 250)
            letter = Email(key=f"{kind}:{key}", kind=kind, to=("ubnd@khanhhoa.example.org",), cc=(), reply_to=(),
                           subject=subject, text="x", html="<p>x</p>")
            _, raw = to_mime(letter, sender="dondoc@khanhhoa.example.org")
            for line in _header_lines(raw):
                assert line.partition(":")[2].strip() if line[:1] not in " \t" else line.strip(), f"empty header line in {raw[:300]!r}"
                assert len(line) <= 78, f"header line of {len(line)} characters: {line!r}"
            decoded = str(email.message_from_bytes(raw.encode("ascii"), policy=default)["Subject"])
            if decoded != subject:
                wrong.append((subject, decoded))
    assert wrong == [], f"{len(wrong)} subjects decode differently, the first: {wrong[:1]}"


def test_mail_from_with_two_addresses_is_refused_at_start(tmp_path: Path) -> None:
    result = run(tmp_path, "outbox", "dispatch", env={"DONDOC_MAIL_FROM": "a@b.example, evil@evil.example"})
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DONDOC_MAIL_FROM" in lines[0] and "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_login_without_tls_is_refused_unless_the_user_says_they_mean_it(tmp_path: Path) -> None:
    secret = "s3cr3t-Pa55"
    plain = {"DONDOC_SMTP_HOST": "127.0.0.1", "DONDOC_SMTP_PORT": str(_free_port()), "DONDOC_SMTP_SECURITY": "none",
             "DONDOC_SMTP_USERNAME": "vptu", "DONDOC_SMTP_PASSWORD": secret}
    result = run(tmp_path, "outbox", "dispatch", env=plain)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DONDOC_SMTP_SECURITY" in lines[0] and "DONDOC_SMTP_ALLOW_PLAIN_LOGIN" in lines[0]
    assert secret not in result.stderr + result.stdout
    meant = run(tmp_path, "outbox", "dispatch", env={**plain, "DONDOC_SMTP_ALLOW_PLAIN_LOGIN": "true"})
    assert meant.returncode != 3 and "ALLOW_PLAIN_LOGIN" not in meant.stderr, meant.stderr
