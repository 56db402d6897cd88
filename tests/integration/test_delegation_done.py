"""Delegation: the lead learns when its unit reports a delegated item done (issue 11's gap 4).

Given the bundled sample stored and UBND's task C.I.2.1.c.2 delegated to the Department of Finance
(STC): STC reports it done on its page on 31/03/2021, and a short letter to UBND is queued in the
outbox under ``delegation:done:{report id}``, saying who reported what and that UBND still answers
for it. No letter for a report that is not "done", nor for the lead's done report on its own item;
the same by ``dondoc report KEY --status done --body STC``.
"""

import email
import email.policy
import re
import sqlite3
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import text

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
from web.access import csrf_token

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
