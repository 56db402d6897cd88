"""Numbers and indicator values as a person reads them on the pages: in Vietnamese the decimal
mark is a comma and a dot groups thousands ("7,5 %", "1.250"); English keeps the point. And
after a body answers, the page says back what it recorded with each indicator named by its
name and unit ("Tốc độ tăng trưởng GRDP: 7,1 %"), never by its place in the list ("1: 7,1")."""

import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from models.db import open_database, session_scope
from models.tables import Indicator, Item
from tests.web.conftest import DAY, make_settings, path_of
from tests.web.review_forms import round_form, send
from tests.web.test_console_pages import client_for, console, story_file  # noqa: F401 (fixtures)
from tests.web.test_page import a_target_of, form
from tests.web.test_review_page import a_target, open_midterm, rows
from web.app import create_app
from workflows.orchestration.runtime import Runtime


def _grdp(runtime: Runtime) -> tuple[str, str, str]:
    """The target whose indicator the document sets at 7,5 % (GRDP growth): key, name, unit."""
    with session_scope(runtime.engine) as session:
        item, indicator = session.exec(select(Item, Indicator).join(Indicator, Indicator.item_id == Item.id)  # type: ignore[arg-type]
                                       .where(Indicator.value == 7.5)).first()  # type: ignore[misc]
        return item.key, indicator.name, indicator.unit or ""


def _english(runtime: Runtime, home: Path) -> Runtime:
    url = str(runtime.settings.database_url)
    return Runtime(make_settings(home, url).model_copy(update={"language": "en"}), runtime.configuration, open_database(url))


def test_the_console_item_page_writes_a_decimal_with_a_comma_in_vietnamese(console: Runtime) -> None:  # noqa: F811
    key, name, unit = _grdp(console)
    with client_for(console, "coord") as coordinator:
        page = coordinator.get(f"/items/{key}")
    assert page.status_code == 200
    assert f"{name}: 7,5 {unit}" in unescape(page.text)
    assert "7.5" not in page.text


def test_the_console_item_page_keeps_the_point_in_english(console: Runtime, tmp_path: Path) -> None:  # noqa: F811
    key, name, unit = _grdp(console)
    english = _english(console, tmp_path)
    with client_for(english, "coord") as coordinator:
        page = coordinator.get(f"/items/{key}")
    english.engine.dispose()
    shown = unescape(page.text)
    facts = shown[shown.index('<dl class="facts">'):shown.index("</dl>")]  # the document's own words above keep "7,5%"
    assert page.status_code == 200 and f"{name}: 7.5 {unit}" in facts and "7,5" not in facts


def _answer_one(client: TestClient, runtime: Runtime, value: str) -> tuple[str, str, str]:
    """UBND saves its answer about one target with ``value`` for its first indicator; the page
    it is sent back to, and that indicator's name and unit."""
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    key, position = a_target(runtime, "UBND")
    name, unit = rows(runtime, f"SELECT n.name, n.unit FROM indicator n JOIN item i ON i.id = n.item_id "
                               f"WHERE i.key = '{key}' AND n.position = {position}")[0]
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    fields.update({f"status:{key}": "on_track", f"v{position}:{key}": value})
    sent = client.post(f"{path}/review/{number}", data={**send(fields), "only": key})
    assert sent.status_code == 303, sent.text
    back = unescape(client.get(sent.headers["location"]).text)
    notice = back[back.index(f'id="r{number}-{key}"'):]
    return notice[:notice.index("</fieldset>")], str(name), str(unit or "")


def test_a_review_answer_is_echoed_with_the_indicators_name_and_unit(client: TestClient, runtime: Runtime) -> None:
    question, name, unit = _answer_one(client, runtime, "1250,5")
    assert f"Giá trị đã lưu: {name}: 1.250,5 {unit}".rstrip() in question
    assert "1: 1.250,5" not in question and "1250.5" not in question


def test_a_review_answer_is_echoed_in_english_with_the_point(tmp_path: Path, runtime: Runtime) -> None:
    english = _english(runtime, tmp_path)
    with TestClient(create_app(english, clock=lambda: DAY), raise_server_exceptions=False, follow_redirects=False) as client:
        question, name, unit = _answer_one(client, english, "7,1")
    english.engine.dispose()
    assert f"Values saved: {name}: 7.1 {unit}".rstrip() in question


def test_a_progress_report_with_a_value_is_echoed_by_name_and_unit(client: TestClient, runtime: Runtime) -> None:
    path, key = path_of(runtime, "UBND"), a_target_of(runtime, "UBND")
    name, unit = rows(runtime, f"SELECT n.name, n.unit FROM indicator n JOIN item i ON i.id = n.item_id "
                               f"WHERE i.key = '{key}' ORDER BY n.position LIMIT 1")[0]
    sent = client.post(f"{path}/report", data=form(runtime, path, "report", key, status="in_progress", percent="40", v0="7,1"))
    assert sent.status_code == 303
    back = unescape(client.get(sent.headers["location"]).text)
    notice = re.findall(r'<div class="notice" role="status">(.*?)</div>', back, re.S)
    assert any(f"Đã ghi nhận: Đang thực hiện · 40 % · {name}: 7,1 {unit}".rstrip() in n for n in notice), notice

