"""The review round on the answer page (issue 10, "the answer page of the letter's link"): while a
round that asks a body is open, its page shows the round's questions at the top, one form for the
round; what it stores goes through ``models.reviews.record_answer`` (channel ``page``, actor
``link:BODY``); every bad submit is refused with a page naming the problem, and nothing is stored.

The forms are posted as a browser posts them: the fields are read out of the page's own HTML
(``round_form``), changed where a clerk would type, and sent back.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from models.db import open_database, session_scope
from models.queries import find_document
from models.reviews import close_round, find_round, open_round
from tests.web.conftest import DAY, make_settings, path_of
from tests.web.review_forms import round_form, send
from web.access import csrf_token
from web.app import create_app
from workflows.orchestration.runtime import Runtime

DUE = date(2021, 7, 15)


def open_midterm(runtime: Runtime, *, kind: str = "midterm", period_to: date = date(2021, 6, 30)) -> int:
    """A round opened by the Standing Committee on DAY, as ``dondoc review open`` opens it."""
    with session_scope(runtime.engine) as session:
        review = open_round(session, document=find_document(session), kind=kind, due=DUE, period_from=date(2021, 1, 4),
                            period_to=period_to, actor="BTV", on=DAY.date(), now=DAY.astimezone(UTC))
        return review.id or 0


def close(runtime: Runtime, number: int) -> None:
    with session_scope(runtime.engine) as session:
        close_round(session, review=find_round(session, number), actor="VPTU", on=date(2021, 7, 20),
                    now=datetime(2021, 7, 20, 3, tzinfo=UTC))


def rows(runtime: Runtime, query: str) -> list[tuple[object, ...]]:
    with runtime.engine.connect() as db:
        return [tuple(r) for r in db.execute(text(query)).all()]


def answers(runtime: Runtime) -> list[tuple[object, ...]]:
    return rows(runtime, "SELECT i.key, a.body_code, a.status, a.note, a.\"values\", a.channel, a.actor, a.answered_on "
                         "FROM review_answer a JOIN item i ON i.id = a.item_id ORDER BY i.position")


def a_target(runtime: Runtime, body: str) -> tuple[str, int]:
    """A target the round asks ``body`` about, and its first indicator's position."""
    found = rows(runtime, "SELECT i.key, MIN(n.position) FROM review_question q JOIN item i ON i.id = q.item_id "
                          f"JOIN indicator n ON n.item_id = i.id WHERE q.body_code = '{body}' GROUP BY i.key, i.position "
                          "ORDER BY i.position LIMIT 1")
    return str(found[0][0]), int(str(found[0][1]))


def tasks_of(runtime: Runtime, body: str, n: int) -> list[str]:
    found = rows(runtime, "SELECT i.key FROM review_question q JOIN item i ON i.id = q.item_id "
                          f"WHERE q.body_code = '{body}' AND i.kind <> 'target' ORDER BY i.position LIMIT {n}")
    return [str(r[0]) for r in found]


@pytest.fixture
def later(runtime: Runtime) -> Iterator[TestClient]:
    """The same page on 20/07/2021, after the round's due date."""
    day = DAY + timedelta(days=20)
    with TestClient(create_app(runtime, clock=lambda: day), raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


def test_while_a_round_is_open_the_page_shows_its_questions_at_the_top(client: TestClient, runtime: Runtime) -> None:
    path = path_of(runtime, "UBND")
    assert 'class="review"' not in client.get(path).text  # no round, no section
    number = open_midterm(runtime)
    page = client.get(path)
    assert page.status_code == 200
    section = page.text[page.text.index('<section class="review"'):page.text.index("</section>")]
    assert page.text.index('<section class="review"') < page.text.index("<article")  # at the top
    assert f"Sơ kết giữa nhiệm kỳ · đợt số {number}" in section
    assert "04/01/2021 - 30/06/2021" in section and "15/07/2021" in section and "còn 15 ngày" in section
    assert "Đã trả lời 0/103 mục" in section
    for status in ("Hoàn thành", "Đúng tiến độ", "Chậm tiến độ", "Chưa triển khai", "Vướng mắc"):
        assert f">{status}</option>" in section
    key, position = a_target(runtime, "UBND")
    name, unit = rows(runtime, f"SELECT n.name, n.unit FROM indicator n JOIN item i ON i.id = n.item_id WHERE i.key = '{key}' "
                               f"AND n.position = {position}")[0]
    question = section[section.index(f'id="r{number}-{key}"'):]
    question = question[:question.index("</fieldset>")]
    assert str(name) in question and f"<span>{unit}</span>" in question and "chỉ tiêu:" in question
    assert f'name="v{position}:{key}"' in question
    assert len(re.findall(r'<fieldset class="question', section)) == 103
    # a body the round asks nothing has no section
    asked = {str(r[0]) for r in rows(runtime, f"SELECT body_code FROM review_request WHERE round_id = {number}")}
    other = next(code for code in sorted(runtime.configuration.registry.bodies) if code not in asked)
    assert 'class="review"' not in client.get(path_of(runtime, other)).text


def test_a_clerk_answers_several_items_in_one_submit_and_sees_what_is_saved(client: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    key, position = a_target(runtime, "UBND")
    first, second = tasks_of(runtime, "UBND", 2)
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    fields.update({f"status:{key}": "on_track", f"v{position}:{key}": "12,5", f"note:{key}": "Ước đạt nửa nhiệm kỳ",
                   f"status:{first}": "done", f"status:{second}": "blocked", f"note:{second}": "Thiếu vốn đối ứng"})
    sent = client.post(f"{path}/review/{number}", data=send(fields))
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"{path}?ok=review&round={number}&n=3")
    stored = {r[0]: r[1:] for r in answers(runtime)}
    assert set(stored) == {key, first, second}
    assert stored[key][:3] == ("UBND", "on_track", "Ước đạt nửa nhiệm kỳ")
    assert "12.5" in str(stored[key][3]) and stored[key][4:6] == ("page", "link:UBND")
    assert stored[second][1:3] == ("blocked", "Thiếu vốn đối ứng")
    assert rows(runtime, "SELECT actor, COUNT(*) FROM audit_event WHERE action = 'review.answered' GROUP BY actor") == [("link:UBND", 3)]
    back = client.get(sent.headers["location"]).text
    assert f"Đã lưu 3 câu trả lời của đợt số {number}" in back and "Đã trả lời 3/103 mục" in back
    again = round_form(back, f"{path}/review/{number}")  # the stored answers are the form's values now
    assert again[f"status:{key}"] == "on_track" and again[f"v{position}:{key}"] == "12,5"
    assert again[f"note:{second}"] == "Thiếu vốn đối ứng" and again[f"status:{tasks_of(runtime, 'UBND', 3)[2]}"] == ""
    assert "Đã trả lời ngày 30/06/2021 (qua trang trả lời): Đúng tiến độ" in back


def test_every_item_of_the_round_answered_with_a_full_account_in_one_submit(client: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    account = ("Đã triển khai đồng bộ các giải pháp; kết quả bước đầu tích cực. " * 20)[:1000].strip()
    for name in [n for n in fields if n.startswith("status:")]:
        fields[name], fields["note:" + name.split(":", 1)[1]] = "on_track", account
    sent = client.post(f"{path}/review/{number}", data=send(fields))  # some 900 KB, 300 and more fields
    assert sent.status_code == 303 and "&n=103" in sent.headers["location"]
    assert len(answers(runtime)) == 103 and {r[3] for r in answers(runtime)} == {account}
    assert "Đã trả lời 103/103 mục" in client.get(path).text


def test_a_clerk_fixes_one_item_later_and_the_others_keep_their_day(client: TestClient, later: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    first, second = tasks_of(runtime, "UBND", 2)
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    fields.update({f"status:{first}": "behind", f"status:{second}": "on_track"})
    assert client.post(f"{path}/review/{number}", data=send(fields)).status_code == 303
    # on 20/07 the clerk corrects the second item with its own button: the whole form is sent, one item is stored
    fields = round_form(later.get(path).text, f"{path}/review/{number}")
    fields.update({f"status:{first}": "done", f"status:{second}": "done", "only": second})
    fixed = later.post(f"{path}/review/{number}", data=send(fields))
    assert fixed.status_code == 303 and f"item={second}" in fixed.headers["location"]
    stored = {r[0]: (r[2], r[7]) for r in answers(runtime)}
    assert stored == {first: ("behind", "2021-06-30"), second: ("done", "2021-07-20")}
    assert f"Đã lưu câu trả lời về mục {second}" in later.get(fixed.headers["location"]).text
    # the whole form sent again unchanged stores nothing: the first answer stays on time
    fields = round_form(later.get(path).text, f"{path}/review/{number}")
    unchanged = later.post(f"{path}/review/{number}", data=send(fields))
    assert unchanged.headers["location"].startswith(f"{path}?ok=review&round={number}&n=0")
    assert {r[0]: (r[2], r[7]) for r in answers(runtime)} == stored
    assert "Không có thay đổi" in later.get(unchanged.headers["location"]).text


def test_a_value_that_is_not_a_number_or_a_status_not_in_the_list_stores_nothing(client: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    key, position = a_target(runtime, "UBND")
    (task,) = tasks_of(runtime, "UBND", 1)
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    fields.update({f"status:{task}": "done", f"status:{key}": "on_track", f"v{position}:{key}": "khoảng 12"})
    refused = client.post(f"{path}/review/{number}", data=send(fields))
    assert refused.status_code == 422 and answers(runtime) == []
    name = str(rows(runtime, f"SELECT n.name FROM indicator n JOIN item i ON i.id = n.item_id WHERE i.key = '{key}' "
                             f"AND n.position = {position}")[0][0])
    assert f"mục {key}, {name}: 'khoảng 12' không phải là một số" in unescape(refused.text)
    shown = round_form(refused.text, f"{path}/review/{number}")  # the form again, with what was typed
    assert shown[f"v{position}:{key}"] == "khoảng 12" and shown[f"status:{task}"] == "done"
    assert re.search(rf'name="v{position}:{re.escape(key)}"[^>]*aria-invalid="true"', refused.text)
    fields.update({f"v{position}:{key}": "12,5", f"status:{task}": "finished"})
    refused = client.post(f"{path}/review/{number}", data=send(fields))
    assert refused.status_code == 422 and f"mục {task}: tình trạng không nằm trong danh sách" in refused.text
    assert answers(runtime) == []
    fields.update({f"status:{task}": "", f"note:{task}": "chưa chọn tình trạng"})
    refused = client.post(f"{path}/review/{number}", data=send(fields))
    assert refused.status_code == 422 and f"mục {task}: cần chọn tình trạng" in refused.text and answers(runtime) == []


def test_a_closed_round_leaves_the_page_and_a_stale_form_is_refused_with_409(client: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    (task,) = tasks_of(runtime, "UBND", 1)
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    fields[f"status:{task}"] = "done"
    close(runtime, number)
    page = client.get(path)
    assert page.status_code == 200 and 'class="review"' not in page.text and "<article" in page.text
    stale = client.post(f"{path}/review/{number}", data=send(fields))
    assert stale.status_code == 409 and f"Đợt số {number} đã đóng ngày 20/07/2021" in stale.text
    assert answers(runtime) == []


def test_items_the_round_does_not_ask_this_body_about_are_refused(client: TestClient, runtime: Runtime) -> None:
    number, path = open_midterm(runtime), path_of(runtime, "UBND")
    fields = round_form(client.get(path).text, f"{path}/review/{number}")
    (theirs,) = tasks_of(runtime, "BTC", 1)
    refused = client.post(f"{path}/review/{number}", data=send(fields, ("item", theirs), (f"status:{theirs}", "done")))
    assert refused.status_code == 403 and f"Mục {theirs} không được giao cho cơ quan" in refused.text
    refused = client.post(f"{path}/review/{number}", data=send(fields, ("only", "Z.9.9")))
    assert refused.status_code == 404 and "không hỏi cơ quan của đồng chí về mục Z.9.9" in refused.text
    assert answers(runtime) == []
    # the form of round N does not serve round M, and a round that does not exist is 404
    other = open_midterm(runtime, kind="yearly")
    assert client.post(f"{path}/review/{other}", data=send(fields)).status_code == 403
    assert client.post(f"{path}/review/{number}", data=send(fields, ("csrf", "x"))).status_code == 403
    token = path.removeprefix("/b/")
    assert client.post(f"{path}/review/999", data={"csrf": csrf_token(runtime.settings, token, "review999")}).status_code == 404
    assert answers(runtime) == []


def test_the_section_speaks_english_with_the_setting(tmp_path: Path, runtime: Runtime) -> None:
    url = str(runtime.settings.database_url)
    english = Runtime(make_settings(tmp_path, url).model_copy(update={"language": "en"}), runtime.configuration, open_database(url))
    number = open_midterm(english)
    path = path_of(english, "UBND")
    with TestClient(create_app(english, clock=lambda: DAY), raise_server_exceptions=False, follow_redirects=False) as client:
        page = client.get(path).text
        assert f"Mid-term review · round {number}" in page and "Answers due" in page and "0 of 103 items answered" in page
        assert ">On track</option>" in page and "Send all answers" in page
        key, position = a_target(english, "UBND")
        fields = round_form(page, f"{path}/review/{number}")
        fields.update({f"status:{key}": "behind", f"v{position}:{key}": "12.5.5"})
        refused = client.post(f"{path}/review/{number}", data=send(fields))
        assert refused.status_code == 422 and "'12.5.5' is not a number" in unescape(refused.text)
        close(english, number)
        stale = client.post(f"{path}/review/{number}", data=send(fields))
        assert stale.status_code == 409 and f"Round {number} closed on 20/07/2021" in stale.text
    english.engine.dispose()


@pytest.mark.browser
def test_a_clerk_answers_the_round_in_a_real_browser(tmp_path: Path) -> None:
    """Debian's Chromium opens UBND's link as the round's letter gives it, the clerk fills the round's
    form (a target's value written 12,5, a task's status), sends it all, sees it saved, then
    corrects one item with its own button. Screenshots: ``$DONDOC_TEST_ARTIFACTS/review-page``."""
    from playwright.sync_api import sync_playwright

    from config.settings import Settings
    from notifications.links import link_for
    from tests.conftest import SAMPLE
    from tests.web.browsing import answer_page, artifacts_folder, chromium, free_port
    from workflows.orchestration.ingest import parse_file, store
    from workflows.orchestration.runtime import open_runtime

    browser_path, shots = chromium(), artifacts_folder(tmp_path, "review-page")
    home, port = tmp_path / "home", free_port()
    base = f"http://127.0.0.1:{port}"
    runtime = open_runtime(Settings(_env_file=None, home=home, base_url=base))
    store(runtime.engine, parse_file(SAMPLE, settings=runtime.settings, configuration=runtime.configuration), source=str(SAMPLE),
          configuration=runtime.configuration, actor="tests", now=datetime(2021, 1, 4, tzinfo=UTC))
    number = open_midterm(runtime)
    (key, position), (task,) = a_target(runtime, "UBND"), tasks_of(runtime, "UBND", 1)
    link = link_for("UBND", settings=runtime.settings, policy=runtime.configuration.policy, now=DAY, generation=0)
    with answer_page(home, port, DAY), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.goto(link)
            section = page.locator(f"#round-{number}")
            assert "Đã trả lời 0/103 mục" in section.inner_text()
            page.screenshot(path=str(shots / "round-desktop-1280.png"))
            target = page.locator(f"fieldset[id='r{number}-{key}']")
            target.get_by_label("Tình trạng").select_option(label="Đúng tiến độ")
            target.locator("textarea").fill("Ước đạt 12,5 ở giữa nhiệm kỳ")
            page.locator(f"fieldset[id='r{number}-{task}']").get_by_label("Tình trạng").select_option(label="Hoàn thành")
            target.locator(f"input[name='v{position}:{key}']").fill("khoảng 12")  # words first: refused, nothing lost
            section.locator("button.all").last.click()
            page.wait_for_load_state()
            assert "'khoảng 12' không phải là một số" in section.inner_text() and answers(runtime) == []
            page.screenshot(path=str(shots / "refused-not-a-number-1280.png"))
            target.locator(f"input[name='v{position}:{key}']").fill("12,5")
            target.screenshot(path=str(shots / "target-filled.png"))
            section.locator("button.all").last.click()
            page.wait_for_load_state()
            assert f"Đã lưu 2 câu trả lời của đợt số {number}" in section.inner_text()
            assert "Đã trả lời 2/103 mục" in section.inner_text()
            assert target.locator(f"input[name='v{position}:{key}']").input_value() == "12,5"
            assert "Đúng tiến độ" in target.inner_text() and "Đã trả lời ngày 30/06/2021" in target.inner_text()
            page.screenshot(path=str(shots / "saved-desktop-1280.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(link)
            one = phone.locator(f"fieldset[id='r{number}-{task}']")
            one.get_by_label("Tình trạng").select_option(label="Chậm tiến độ")
            one.locator("button.one").click()
            phone.wait_for_load_state()
            assert f"Đã lưu câu trả lời về mục {task}" in phone.content()
            phone.screenshot(path=str(shots / "fixed-one-phone-390.png"))
            scroll = phone.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"the page is {scroll} px wide on a 390 px phone"
        finally:
            browser.close()
    stored = {r[0]: r[2:5] for r in answers(runtime)}
    assert stored[key][0] == "on_track" and "12.5" in str(stored[key][2]) and stored[task][0] == "behind"
    runtime.engine.dispose()
