"""The answer page (issue 9, "The answer page"): what a body sees through its link, what its forms
store, and every way a link or a form is refused. FastAPI's TestClient on a real SQLite file
holding the bundled programme; the same functions and tables as ``dondoc report`` and ``extend``."""

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text

from models.db import session_scope
from models.item_states import item_states
from models.links import revoke_links
from models.queries import find_document
from tests.web.conftest import DAY, path_of
from web.access import csrf_token
from web.app import create_app
from workflows.orchestration.runtime import Runtime
from workflows.rules import reporting
from workflows.rules.reminders import reminders


def open_items(runtime: Runtime, body: str) -> dict[str, object]:
    rule = reporting.rule(runtime.configuration.policy.reporting_cadence)
    with session_scope(runtime.engine) as session:
        states = item_states(session, reporting=rule, open_only=True)
    return {s.key: s for s in states if s.lead == body or body in s.cooperating}


def rows(runtime: Runtime, query: str) -> list[tuple[object, ...]]:
    with runtime.engine.connect() as db:
        return [tuple(r) for r in db.execute(text(query)).all()]


def form(runtime: Runtime, path: str, action: str, key: str, **fields: str) -> dict[str, str]:
    with session_scope(runtime.engine) as session:
        document = find_document(session).key
    token = path.removeprefix("/b/")
    return {"csrf": csrf_token(runtime.settings, token, action), "document": document, "key": key, **fields}


def a_target_of(runtime: Runtime, body: str) -> str:
    """An open target that ``body`` leads and that has an indicator."""
    found = rows(runtime, "SELECT i.key FROM item i JOIN assignment a ON a.item_id = i.id AND a.role = 'lead' "
                          f"JOIN indicator n ON n.item_id = i.id WHERE a.body_code = '{body}' AND i.kind = 'target' "
                          "ORDER BY i.position LIMIT 1")
    return str(found[0][0])


def an_item_not_of(runtime: Runtime, body: str) -> str:
    found = rows(runtime, "SELECT i.key FROM item i WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.item_id = i.id "
                          f"AND a.body_code = '{body}') ORDER BY i.position LIMIT 1")
    return str(found[0][0])


def test_the_page_shows_the_body_its_open_items_and_no_others_in_vietnamese(client: TestClient, runtime: Runtime) -> None:
    page = client.get(path_of(runtime, "UBND"))
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer" and "no-store" in page.headers["cache-control"]
    assert "Ủy ban nhân dân tỉnh" in page.text and "Báo cáo tiến độ" in page.text
    shown = set(re.findall(r'<article id="([^"]+)"', page.text))
    assert shown == set(open_items(runtime, "UBND")) and len(shown) > 50
    assert an_item_not_of(runtime, "UBND") not in shown
    assert "://" not in re.sub(r'href="#[^"]*"', "", page.text)  # no asset from anywhere


def test_a_report_with_an_indicator_value_is_stored_as_done_by_the_body_through_its_link(client: TestClient, runtime: Runtime) -> None:
    path, key = path_of(runtime, "UBND"), a_target_of(runtime, "UBND")
    sent = client.post(f"{path}/report", data=form(runtime, path, "report", key, status="in_progress", percent="40",
                                                     note="Đạt 6,9% sáu tháng đầu năm", v0="6,9"))
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"{path}?ok=report")
    stored = rows(runtime, "SELECT r.body_code, r.status, r.percent, r.actor, r.\"values\" FROM progress_report r "
                           f"JOIN item i ON i.id = r.item_id WHERE i.key = '{key}'")
    assert len(stored) == 1 and stored[0][:4] == ("UBND", "in_progress", 40, "link:UBND")
    assert "6.9" in str(stored[0][4])
    assert rows(runtime, f"SELECT actor FROM audit_event WHERE action = 'report.submitted' AND entity_key = '{key}'") == [("link:UBND",)]
    back = client.get(sent.headers["location"])
    assert "Đã ghi nhận báo cáo tiến độ của mục " + key in back.text


def test_the_next_sweep_no_longer_chases_a_report_answered_on_the_page(client: TestClient, runtime: Runtime) -> None:
    policy, day = runtime.configuration.policy, DAY.date()
    owed = [r for r in reminders(open_items(runtime, "UBND").values(), day, policy) if r.subject == "report"]  # type: ignore[arg-type]
    assert owed, "the test day must owe UBND report reminders"
    key = next(r.item.key for r in owed if r.item.lead == "UBND")
    path = path_of(runtime, "UBND")
    assert client.post(f"{path}/report", data=form(runtime, path, "report", key, status="in_progress")).status_code == 303
    after = [r for r in reminders(open_items(runtime, "UBND").values(), day, policy) if r.subject == "report"]  # type: ignore[arg-type]
    assert key not in {r.item.key for r in after} and len(after) == len(owed) - 1


def test_a_request_for_more_time_is_stored_for_the_coordinator_to_decide(client: TestClient, runtime: Runtime) -> None:
    path, key = path_of(runtime, "UBND"), a_target_of(runtime, "UBND")
    sent = client.post(f"{path}/extend", data=form(runtime, path, "extend", key, to="30/06/2026", reason="Chờ số liệu thống kê"))
    assert sent.status_code == 303
    assert rows(runtime, "SELECT e.body_code, e.requested_due, e.status FROM extension_request e JOIN item i ON i.id = e.item_id "
                         f"WHERE i.key = '{key}'") == [("UBND", "2026-06-30", "pending")]
    assert rows(runtime, "SELECT actor FROM audit_event WHERE action = 'extension.requested'") == [("link:UBND",)]
    again = client.post(f"{path}/extend", data=form(runtime, path, "extend", key, to="31/07/2026", reason="Lần hai"))
    assert again.status_code == 409 and "đang chờ quyết định" in again.text


def nothing_stored(runtime: Runtime) -> bool:
    return rows(runtime, "SELECT count(*) FROM progress_report")[0][0] == 0 and \
        rows(runtime, "SELECT count(*) FROM extension_request")[0][0] == 0


def test_a_tampered_link_is_refused_with_403_and_a_vietnamese_page(client: TestClient, runtime: Runtime) -> None:
    path = path_of(runtime, "UBND")
    payload, stamp, signature = path.removeprefix("/b/").split(".")
    other = path_of(runtime, "BTV").removeprefix("/b/").split(".")[0]
    for token in (f"{payload}.{stamp}.{signature[:-2]}AA", f"{other}.{stamp}.{signature}", "x" * 2000, "abc"):
        refused = client.get(f"/b/{token}")
        assert refused.status_code == 403 and "bị sửa" in refused.text, token
    assert "Traceback" not in refused.text


def test_an_expired_link_is_gone_and_says_so(client: TestClient, runtime: Runtime) -> None:
    yesterday = DAY.date() - timedelta(days=1)
    refused = client.get(path_of(runtime, "UBND", expires=yesterday))
    assert refused.status_code == 410 and "hết hạn" in refused.text
    assert client.get(path_of(runtime, "UBND", expires=DAY.date())).status_code == 200  # its last day still works
    path = path_of(runtime, "UBND", expires=yesterday)
    posted = client.post(f"{path}/report", data=form(runtime, path, "report", a_target_of(runtime, "UBND"), status="done"))
    assert posted.status_code == 410 and nothing_stored(runtime)


def test_a_revoked_link_is_refused_and_a_new_one_works(client: TestClient, runtime: Runtime) -> None:
    old = path_of(runtime, "UBND")
    with session_scope(runtime.engine) as session:
        generation = revoke_links(session, body="UBND", actor="vp", now=DAY)
    refused = client.get(old)
    assert refused.status_code == 403 and "thu hồi" in refused.text
    assert client.get(path_of(runtime, "UBND", generation=generation)).status_code == 200
    assert client.get(path_of(runtime, "BTV")).status_code == 200  # another body's links are untouched
    assert rows(runtime, "SELECT actor, entity_key FROM audit_event WHERE action = 'links.revoked'") == [("vp", "UBND")]


def test_another_bodys_item_edited_into_the_form_is_refused(client: TestClient, runtime: Runtime) -> None:
    path = path_of(runtime, "UBND")
    key = an_item_not_of(runtime, "UBND")
    for action, fields in (("report", {"status": "done"}), ("extend", {"to": "31/12/2026", "reason": "x"})):
        refused = client.post(f"{path}/{action}", data=form(runtime, path, action, key, **fields))
        assert refused.status_code == 403 and "không được giao cho cơ quan" in refused.text
    unknown = client.post(f"{path}/report", data=form(runtime, path, "report", "Z.99.99", status="done"))
    assert unknown.status_code == 404 and "Không có mục Z.99.99" in unknown.text
    assert nothing_stored(runtime)


def test_a_form_without_its_csrf_token_or_with_another_links_is_refused(client: TestClient, runtime: Runtime) -> None:
    path, key = path_of(runtime, "UBND"), a_target_of(runtime, "UBND")
    fields = form(runtime, path, "report", key, status="done")
    missing = client.post(f"{path}/report", data={k: v for k, v in fields.items() if k != "csrf"})
    assert missing.status_code == 403 and "Biểu mẫu không hợp lệ" in missing.text
    other_form = client.post(f"{path}/report", data={**fields, "csrf": form(runtime, path, "extend", key)["csrf"]})
    assert other_form.status_code == 403
    other_link = path_of(runtime, "UBND", expires=DAY.date() + timedelta(days=3))
    assert client.post(f"{other_link}/report", data=fields).status_code == 403
    assert nothing_stored(runtime)


def test_bad_values_show_the_form_again_naming_the_problem(client: TestClient, runtime: Runtime) -> None:
    path, key = path_of(runtime, "UBND"), a_target_of(runtime, "UBND")
    cases = [
        ("report", {"status": "in_progress", "percent": "500"}, "phần trăm phải là số nguyên từ 0 đến 100"),
        ("report", {"status": "finished"}, "tình trạng không hợp lệ"),
        ("report", {"status": "in_progress", "note": "a\x1b[31mb"}, "Ghi chú có ký tự điều khiển"),
        ("report", {"status": "in_progress", "note": "x" * 2001}, "Ghi chú dài quá 2000 ký tự"),
        ("report", {"status": "in_progress", "v0": "1/0"}, "không phải một số hữu hạn"),
        ("extend", {"to": "31/12/9999", "reason": "x"}, "nằm ngoài thời gian của chương trình"),
        ("extend", {"to": "31/02/2026", "reason": "x"}, "không phải ngày dd/mm/yyyy"),
        ("extend", {"to": "01/01/2021", "reason": "x"}, "hạn mới phải sau hạn hiện tại"),
        ("extend", {"to": "31/12/2026", "reason": ""}, "cần ghi Lý do"),
    ]
    for action, fields, says in cases:
        shown = client.post(f"{path}/{action}", data=form(runtime, path, action, key, **fields))
        assert shown.status_code == 422, (fields, shown.status_code)
        assert says in shown.text and f'<article id="{key}"' in shown.text, fields
    huge = client.post(f"{path}/report", data=form(runtime, path, "report", key, status="done", note="x" * 100_000))
    assert huge.status_code == 413 and "quá lớn" in huge.text
    fields = form(runtime, path, "report", key, status="done")
    upload = client.post(f"{path}/report", data=fields, files={"upload": ("a.txt", b"hello")})
    assert upload.status_code == 400 and "Không đọc được biểu mẫu" in upload.text
    assert client.post(f"{path}/report", data={**fields, **{f"x{i}": "1" for i in range(100)}}).status_code == 400
    assert nothing_stored(runtime)


def test_an_unexpected_error_is_a_plain_500_page_with_no_traceback(runtime: Runtime) -> None:
    broken = create_app(runtime, clock=lambda: DAY.replace(tzinfo=None))  # a naive clock: a bug, not a visitor's fault
    with TestClient(broken, raise_server_exceptions=False) as client:
        page = client.get(path_of(runtime, "UBND"))
    assert page.status_code == 500 and "lỗi phía máy chủ" in page.text
    assert "Traceback" not in page.text and "naive" not in page.text and "File " not in page.text


def test_unknown_pages_and_methods_are_refused_in_vietnamese(client: TestClient, runtime: Runtime) -> None:
    assert client.get("/no-such-page").status_code == 404 and "Không có trang này" in client.get("/no-such-page").text
    assert client.put(path_of(runtime, "UBND")).status_code == 405


def test_the_page_speaks_english_by_setting(runtime: Runtime) -> None:
    english = Runtime(runtime.settings.model_copy(update={"language": "en"}), runtime.configuration, runtime.engine)
    with TestClient(create_app(english, clock=lambda: DAY), raise_server_exceptions=False) as client:
        page = client.get(path_of(runtime, "UBND"))
        gone = client.get(path_of(runtime, "UBND", expires=date(2021, 1, 1)))
    assert "Progress report" in page.text and "This link works until 14/08/2021" in page.text
    assert gone.status_code == 410 and "This link has expired" in gone.text
