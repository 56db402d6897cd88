"""The MIME text written in one pass (notifications/mime.py) reads as the email package's own build:
the same headers decoded, the same parts, each decoding to the same bytes, and no defects."""

import email
from datetime import datetime
from email.message import EmailMessage, Message
from email.policy import default
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from notifications.mime import MAIL_POLICY, _policy_fold, fold
from notifications.render import XLSX, Attachment, Email, to_mime

SENDER = "Văn phòng Tỉnh ủy <van-phong@khanhhoa.example.org>"
BUILT = datetime(2025, 9, 15, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def by_the_email_package(letter: Email) -> Message:
    """The same letter through EmailMessage, as ``to_mime`` built it before (base64 parts)."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = letter.subject
    msg["From"] = SENDER
    msg["Date"] = format_datetime(BUILT)
    msg["To"] = ", ".join(letter.to)
    if letter.cc:
        msg["Cc"] = ", ".join(letter.cc)
    msg["Reply-To"] = ", ".join(letter.reply_to)
    msg.set_content(letter.text, charset="utf-8", cte="base64")
    msg.add_alternative(letter.html, subtype="html", charset="utf-8", cte="base64")
    if letter.ics is not None:
        msg.add_attachment(letter.ics, maintype="text", subtype="calendar", filename="deadline.ics",
                           params={"method": "PUBLISH", "charset": "utf-8"})
    for attached in letter.attachments:
        msg.add_attachment(attached.content, maintype=attached.maintype, subtype=attached.subtype, filename=attached.filename)
    return email.message_from_string(msg.as_string(), policy=default)


def leaves(message: Message) -> list[tuple[object, ...]]:
    return [(p.get_content_type(), p.get_content_charset(), p.get_param("method"), p.get_content_disposition(),
             p.get_filename(), p.get_payload(decode=True)) for p in message.walk() if not p.is_multipart()]


LETTER = Email(
    key="review:3:SO_TC", kind="review_request", to=("so-tai-chinh@khanhhoa.example.org", "vp-so@khanhhoa.example.org"),
    cc=("ubnd@khanhhoa.example.org",), reply_to=("van-phong@khanhhoa.example.org",),
    subject="Đôn đốc thực hiện Chương trình hành động số 25-CTr/TU, ngày 15/09/2025: 11 nội dung quá hạn, 1 nội dung "
            "sắp đến hạn, 3 nội dung phối hợp",
    text="Kính gửi: Sở Tài chính\n\nDòng có khoảng trắng cuối   \n--\nHết.", html="<p>Kính gửi: <b>Sở Tài chính</b></p>\r\n" * 300,
    ics=b"BEGIN:VCALENDAR\r\nSUMMARY:H\xe1\xba\xa1n\r\nEND:VCALENDAR\r\n",
    attachments=(Attachment("Phiếu trả lời - Sở Tài chính (đợt 3).xlsx", bytes(range(256)) * 40, *XLSX),),
)


def test_a_letter_reads_as_the_email_package_built_it() -> None:
    _, raw = to_mime(LETTER, sender=SENDER, built=BUILT)
    ours = email.message_from_string(raw, policy=default)
    theirs = by_the_email_package(LETTER)
    assert all(not part.defects for part in ours.walk())
    for name in ("Subject", "From", "Date", "To", "Cc", "Reply-To"):
        assert str(ours[name]) == str(theirs[name]), name
    assert str(ours["Subject"]) == LETTER.subject
    body = ours.get_body(("plain",))
    assert ours.get_content_type() == "multipart/mixed" and body is not None
    assert body.get_content() == "\r\n".join(LETTER.text.splitlines()) + "\r\n"  # every line as written, spaces kept

    assert leaves(ours) == leaves(theirs)
    assert raw.isascii() and max(len(line) for line in raw.split("\r\n")) <= 998  # the XLSX type alone is 79
    assert raw.count("MIME-Version:") == 1


def test_a_letter_without_files_is_one_multipart_alternative() -> None:
    plain = Email(key="chase:B0001:2025-09-15", kind="chase", to=("b1@bench.example.org",), cc=(), reply_to=(),
                  subject="Follow-up", text="Hello", html="<p>Hello</p>")
    ours = email.message_from_string(to_mime(plain, sender=SENDER, built=BUILT)[1], policy=default)
    assert ours.get_content_type() == "multipart/alternative" and not ours.defects
    assert [p.get_content() for p in ours.iter_parts()] == ["Hello\r\n", "<p>Hello</p>\r\n"]


def test_a_header_written_as_it_is_is_what_the_policy_would_write() -> None:
    values = {
        "Date": [format_datetime(BUILT), "Mon, 01 Jan 2024 00:00:00 +0700"],
        "Message-ID": ["<d30df7ed7d1abdfa66ccb1657e121ce409d51e2e@khanhhoa.example.org>"],
        "To": ["b4@bench.example.org", "a.b+c@x-y.example.org, d_e@example.org", "x@y.org, " * 7 + "z@y.org", "x@y.org, " * 10 + "z@y.org"],
        "Reply-To": ["van-phong@khanhhoa.example.org"],
        "X-Dondoc-Key": ["chase:B0004:2025-09-15", "chase:SO_TC:2025-09-15:2", "1:deadline@UBND", "review:3:DD_MTTQ@BTV"],
    }
    for name, shown in values.items():
        for value in shown:
            assert fold(name, value) == _policy_fold(name, value), (name, value)
