"""A message's MIME text written in one pass: the parts and headers the email package would build,
folded by its own policy, without its generator.

Why not ``EmailMessage.as_string()``: the daily chase writes a thousand letters of about 40 KiB,
and through the email package each cost about 3 ms of processor time, most of it not the
letter's: header parse trees folded again for every part, a random boundary searched for in the
whole text (and compiled as a regular expression) for every multipart, quoted-printable encoding
in Python, the text written out line by line. Here:

- every part is base64 (``binascii``, in C; about 1.33 bytes a byte, where quoted-printable takes
  up to 3 for Vietnamese), so no boundary can occur in a body: base64 has no ``-``, and the
  boundary is derived from the message's key (the same letter, the same boundary);
- a part's headers are built by the email package itself (``set_content`` on an empty part, the
  same call ``add_attachment`` makes) and folded by :data:`MAIL_POLICY`, once per process for each
  kind of part;
- a message header is folded by :data:`MAIL_POLICY` as the generator would fold it (the Subject
  as every encoded word holding its own spaces, see :class:`_MailPolicy`), except a short ASCII
  value that the policy would write unchanged (a date, a Message-ID, plain addresses), which is
  written as it is (``tests/unit/test_mime.py`` checks that the two agree).

What a reader decodes is what the email package wrote before: each text part's lines ended by
CRLF, the calendar and attachments byte for byte.
"""

import binascii
import hashlib
import re
from collections.abc import Iterable
from email.header import Header
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Any

CRLF = "\r\n"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def header_safe(value: str, limit: int = 200) -> str:
    """One line, no control characters, at most ``limit`` characters: safe for any header (header
    values are built by us and stripped of line breaks, so document text can never add a header)."""
    value = " ".join(_CONTROL.sub(" ", value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


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
        """As the email package's, but each (name, text) is parsed once: the letters repeat most
        headers (From, Reply-To, every part's Content-Type). Header objects are immutable, so two
        messages can hold the same one."""
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


LINE = 78
"""The longest header line the policy writes unfolded."""
MAIL_POLICY = _MailPolicy(linesep=CRLF, max_line_length=LINE, header_factory=_HeaderClasses())
"""How messages are built and written: CRLF as SMTP wants (a Maildir writer turns it into LF)."""

_ADDRESSES = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+(?:, [A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)*")
_VERBATIM = {"date": re.compile(r"[A-Za-z0-9,:+ -]+"), "message-id": re.compile(r"<[A-Za-z0-9.]+@[A-Za-z0-9.-]+>"),
             "to": _ADDRESSES, "cc": _ADDRESSES, "reply-to": _ADDRESSES, "x-dondoc-key": re.compile(r"[A-Za-z0-9:.@_-]+")}
"""The headers whose short ASCII value the policy writes unchanged, and what such a value looks like."""


def fold(name: str, value: str) -> str:
    """``Name: value`` and its CRLF, as :data:`MAIL_POLICY` folds it in a message."""
    shape = _VERBATIM.get(name.lower())
    if shape is not None and len(name) + 2 + len(value) <= LINE and shape.fullmatch(value):
        return f"{name}: {value}{CRLF}"
    return _policy_fold(name, value)


def _policy_fold(name: str, value: str) -> str:
    return str(MAIL_POLICY.fold(name, MAIL_POLICY.header_store_parse(name, value)[1]))


folded_once = lru_cache(maxsize=512)(fold)
""":func:`fold` for the headers every letter repeats (From, Reply-To)."""


@lru_cache(maxsize=64)
def part_head(maintype: str, subtype: str, filename: str | None = None, params: tuple[tuple[str, str], ...] = ()) -> str:
    """The headers of a base64 part, as the email package writes them for ``set_content`` (a text
    part: ``maintype`` "text" and no file name) or ``add_attachment`` (a file name)."""
    part = EmailMessage(policy=MAIL_POLICY)
    if filename is None:
        part.set_content("", subtype=subtype, charset="utf-8", cte="base64")
    else:
        part.set_content(b"", maintype=maintype, subtype=subtype, disposition="attachment", filename=filename,
                         params=dict(params))
    return "".join(str(MAIL_POLICY.fold(name, value)) for name, value in part.items() if name != "MIME-Version")


def base64_lines(data: bytes) -> str:
    """``data`` in base64, lines of 76 characters each ended by CRLF (the email package's layout),
    encoded at once and cut after (cutting the text is cheaper than encoding it line by line)."""
    encoded = binascii.b2a_base64(data, newline=False).decode("ascii")
    return "".join([encoded[i : i + 76] + CRLF for i in range(0, len(encoded), 76)])


def text_body(text: str) -> bytes:
    """What a reader decodes from a text part: its lines in UTF-8, each ended by CRLF."""
    return CRLF.encode().join(text.encode("utf-8").splitlines()) + CRLF.encode()


def _multipart(subtype: str, boundary: str, parts: Iterable[str]) -> str:
    head = f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"{CRLF}{CRLF}"
    return head + "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts) + f"--{boundary}--{CRLF}"


def message_text(headers: str, *, seed: str, text: str, html: str, files: Iterable[tuple[str, bytes]] = ()) -> str:
    """The whole message: ``headers`` (folded, each ended by CRLF), then the text and HTML as
    alternatives, then ``files`` (each a :func:`part_head` and its bytes) if any, in one
    multipart/mixed. ``seed`` (the letter's key) names the boundaries."""
    mark = hashlib.sha256(seed.encode()).hexdigest()[:24]
    alternative = _multipart("alternative", f"=_{mark}_a", (
        f"{part_head('text', 'plain')}{CRLF}{base64_lines(text_body(text))}",
        f"{part_head('text', 'html')}{CRLF}{base64_lines(text_body(html))}",
    ))
    attached = [f"{head}{CRLF}{base64_lines(data)}" for head, data in files]
    body = _multipart("mixed", f"=_{mark}_m", [alternative, *attached]) if attached else alternative
    return f"{headers}MIME-Version: 1.0{CRLF}{body}"
