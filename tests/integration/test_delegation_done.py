"""Delegation: the lead learns when its unit reports a delegated item done (issue 11's gap 4).

Given the bundled sample stored and UBND's task C.I.2.1.c.2 delegated to the Department of Finance
(STC): STC reports it done on its page on 31/03/2021, and a short letter to UBND is queued in the
outbox under ``delegation:done:{report id}``, saying who reported what and that UBND still answers
for it. No letter for a report that is not "done", nor for the lead's done report on its own item;
the same by ``dondoc report KEY --status done --body STC``.

The letter, delivered to a real SMTP server on loopback and read back as a mail reader does
(``email.policy.default``), is an Office letter: no defects; "Kính gửi" UBND; STC, the item's key,
kind, section, text, due date (01/04/2021) and the day reported (31/03/2021) with STC's note;
that UBND still answers for it and how to have it reopened (the Office's contact); "Nơi nhận" and
the signature; an HTML part with a real head (charset, title) and tables, nothing fetched, that says
the same as the plain text. In English with ``DONDOC_LANGUAGE=en``.
"""

import email
import email.policy
import re
import sqlite3
from datetime import UTC, datetime
from email.message import EmailMessage
from html import unescape
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import select

from config.loading import Configuration
from config.policy import Policy
from models.db import open_database, session_scope
from models.reports import section_title
from models.tables import Item
from notifications.dispatch import run
from notifications.mailers import SmtpMailer
from tests.integration.test_delegation import (
    KEY,
    LEAD,
    OTHER,
    REMINDED,
    UNIT,
    World,
    _client,
    _delegate,
    _page_path,
    world,
)
from tests.smtp_sink import Sink
from web.access import csrf_token

DUE = "01/04/2021"  # the item's due date, as the letter writes it

__all__ = ["world"]  # the fixture, shared with the delegation tests


def _notices(w: World) -> list[tuple[str, str, str]]:
    """The done notices in the outbox: (key, recipients, plain text)."""
    with w.engine.connect() as db:
        rows = db.execute(text("SELECT key, raw FROM outbox WHERE key LIKE 'delegation:done:%' ORDER BY id")).all()
    found = []
    for key, raw in rows:
        message = email.message_from_string(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        plain = message.get_body(preferencelist=("plain",))
        assert plain is not None
        found.append((str(key), str(message["To"]), " ".join(str(message["Subject"]).split()) + " | "
                      + " ".join(str(plain.get_content()).split())))
    return found


def _delivered(engine: Engine, policy: Policy) -> list[EmailMessage]:
    """The done notices as a real SMTP server on loopback took them, parsed as a mail reader does."""
    sink = Sink().start()
    try:
        mailer = SmtpMailer(host="127.0.0.1", port=sink.port, security="none", username=None, password=None, timeout=5)
        run(engine, mailer, policy=policy, now=datetime.now(UTC))
        raws = [r.message.as_bytes() for r in sink.received if r.key.startswith("delegation:done:")]
    finally:
        sink.stop()
    letters = []
    for raw in raws:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        letters.append(message)
    return letters


def _flat(words: str) -> str:
    """On one line, without colons: a table cell's label has none, the plain text's line has one."""
    return " ".join(words.replace(":", " ").split())


def _read(message: EmailMessage) -> tuple[str, str, str]:
    """(plain text, HTML source, HTML as text), each on one line without colons; no part with a
    defect."""
    assert all(not part.defects for part in message.walk()), [part.defects for part in message.walk()]
    assert message["Date"] is not None
    plain, html = message.get_body(preferencelist=("plain",)), message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    source = str(html.get_content())
    said = re.sub(r"<(head|style)\b.*?</\1>", " ", source, flags=re.S | re.I)
    return _flat(str(plain.get_content())), " ".join(source.split()), _flat(unescape(re.sub(r"<[^>]+>", " ", said)))


def _check_layout(source: str, subject: str) -> None:
    """What a mail reader and a phone need: a real head, tables, a readable width, nothing fetched."""
    assert re.search(r'<head>.*<meta charset="utf-8">.*<title>(.*?)</title>.*</head>', source, re.I)
    title = re.search(r"<title>(.*?)</title>", source)
    assert title is not None and unescape(title.group(1)) == subject
    assert "<table" in source and "max-width:720px" in source
    assert not re.search(r'(src|href)="(?!mailto:)[^"]*"', source) and "<link" not in source and "url(" not in source


def _item_facts(engine: Engine) -> tuple[str, str]:
    """The item's section title and text, as the letter should quote them."""
    with session_scope(engine) as session:
        item = session.exec(select(Item).where(Item.key == KEY)).one()
        return _flat(section_title(session, item=item)), _flat(item.text)


def _report(client: object, w: World, body: str, key: str, status: str) -> None:
    path = _page_path(w, body, REMINDED)
    shown = client.get(path)  # type: ignore[attr-defined]
    document_key = re.search(r'name="document" value="([^"]+)"', shown.text)
    assert document_key is not None
    sent = client.post(f"{path}/report", data={  # type: ignore[attr-defined]
        "csrf": csrf_token(w.settings, path.removeprefix("/b/"), "report"), "document": document_key.group(1),
        "key": key, "status": status, "percent": "100" if status == "done" else "60", "note": "Đã ban hành quy chế"})
    assert sent.status_code == 303, sent.text


def test_the_unit_reports_done_on_its_page_and_the_lead_gets_a_letter(world: World) -> None:
    w = world
    _delegate(w)
    lead_address = w.configuration.registry.bodies[LEAD].emails[0]
    with _client(w, REMINDED) as client:
        _report(client, w, UNIT, KEY, "in_progress")
        _report(client, w, LEAD, OTHER, "done")  # the lead's own item: it knows
        assert _notices(w) == []
        _report(client, w, UNIT, KEY, "done")
    with w.engine.connect() as db:
        report_id = db.execute(text("SELECT max(id) FROM progress_report")).scalar_one()
    (notice,) = _notices(w)
    key, to, said = notice
    assert key == f"delegation:done:{report_id}" and lead_address in to
    assert said.startswith(f"Sở Tài chính báo cáo hoàn thành {KEY} |")
    assert "Sở Tài chính, đơn vị được Ủy ban nhân dân tỉnh giao thực hiện, đã báo cáo hoàn thành" in said
    assert "31/03/2021" in said and "Ghi chú của đơn vị: Đã ban hành quy chế" in said
    assert "Ủy ban nhân dân tỉnh vẫn là cơ quan chủ trì" in said


def test_the_unit_reports_done_by_command_and_the_lead_gets_a_letter(tmp_path: Path) -> None:
    from tests.acceptance.test_cli import ok

    def notices() -> list[str]:
        with sqlite3.connect(tmp_path / "dondoc.db") as db:
            return [r[0] for r in db.execute("SELECT subject FROM outbox WHERE key LIKE 'delegation:done:%'")]

    ok(tmp_path, "ingest", "--sample")
    ok(tmp_path, "delegate", KEY, UNIT, "--as-of", "01/03/2021")
    ok(tmp_path, "report", KEY, "--status", "in_progress", "--body", UNIT, "--as-of", "10/03/2021")
    assert notices() == []
    ok(tmp_path, "report", KEY, "--status", "done", "--body", UNIT, "--as-of", "31/03/2021",
       env={"DONDOC_LANGUAGE": "en"})
    assert notices() == [f"Department of Finance reported {KEY} done"]


def test_the_lead_receives_an_office_letter_that_says_who_did_what_and_who_answers_for_it(world: World) -> None:
    w = world
    _delegate(w)
    with _client(w, REMINDED) as client:
        _report(client, w, UNIT, KEY, "done")
    (letter,) = _delivered(w.engine, w.configuration.policy)
    plain, source, html = _read(letter)
    registry, head = w.configuration.registry, w.configuration.policy.letterhead
    lead, unit = registry.bodies[LEAD].name("vi"), registry.bodies[UNIT].name("vi")
    section, item_text = _item_facts(w.engine)
    assert str(letter["Subject"]) == f"{unit} báo cáo hoàn thành {KEY}"
    assert registry.bodies[LEAD].emails[0] in str(letter["To"])
    _check_layout(source, str(letter["Subject"]))
    for said in (plain, html):  # the plain text says what the HTML says
        assert head.committee in said and head.office in said and f"Số …/{head.number_suffix}" in said
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in said and "ngày 31 tháng 3 năm 2021" in said
        assert f"Kính gửi {lead}" in said
        assert f"số {head.programme_number}" in said and " ".join(head.programme_title.split()) in said
        assert f"{unit}, đơn vị được {lead} giao thực hiện, đã báo cáo hoàn thành nhiệm vụ {KEY} ngày 31/03/2021" in said
        assert section in said and item_text in said
        assert f"Thời hạn {DUE}" in said and "Ngày báo cáo hoàn thành 31/03/2021" in said
        assert "Ghi chú của đơn vị Đã ban hành quy chế" in said
        assert f"{lead} vẫn là cơ quan chủ trì, chịu trách nhiệm về kết quả" in said
        assert "Nếu kết quả chưa đạt yêu cầu" in said and "để mở lại nội dung" in said
        assert head.contact_name in said and head.contact_phone in said
        assert "Nơi nhận - Như trên, - Lưu Văn phòng." in said
        assert head.signer_title in said and head.signer_name in said


def test_the_lead_reads_the_letter_in_english_with_the_english_setting(tmp_path: Path,
                                                                      configuration: Configuration) -> None:
    from tests.acceptance.test_cli import ok

    ok(tmp_path, "ingest", "--sample")
    ok(tmp_path, "delegate", KEY, UNIT, "--as-of", "01/03/2021")
    ok(tmp_path, "report", KEY, "--status", "done", "--body", UNIT, "--note", "Regulation issued",
       "--as-of", "31/03/2021", env={"DONDOC_LANGUAGE": "en"})
    engine = open_database(f"sqlite:///{tmp_path / 'dondoc.db'}")
    try:
        (letter,) = _delivered(engine, configuration.policy)
        section, item_text = _item_facts(engine)
    finally:
        engine.dispose()
    plain, source, html = _read(letter)
    registry, head = configuration.registry, configuration.policy.letterhead
    lead, unit = registry.bodies[LEAD].name("en"), registry.bodies[UNIT].name("en")
    assert str(letter["Subject"]) == f"{unit} reported {KEY} done"
    _check_layout(source, str(letter["Subject"]))
    assert '<html lang="en">' in source
    for said in (plain, html):
        assert head.committee_en in said and head.party_en in said and f"No. …/{head.number_suffix}" in said
        assert f"To {lead}" in said and f"No. {head.programme_number}" in said
        assert f"the {unit}, the unit the {lead} delegated it to, reported task {KEY} done on 31/03/2021" in said
        assert section in said and item_text in said
        assert f"Due date {DUE}" in said and "Reported done on 31/03/2021" in said
        assert "The unit's note Regulation issued" in said
        assert f"The {lead} still leads this item and answers for its result" in said
        assert "If the result falls short, please contact" in said and "to reopen the item" in said
        assert head.contact_phone in said and "Distribution - As above, - Office files." in said
        assert head.signer_title_en in said and head.signer_name in said
        assert "Kính gửi" not in said and "Nơi nhận" not in said
