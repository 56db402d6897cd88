"""Issue 10's replay: the 2020-2025 term's mid-term review, as its three users live it.

The Standing Committee opens the round on Thursday 01/06/2023, answers due Friday 14/07/2023
(``dondoc review open``). Each body it asks gets one request letter with the link to its answer
page and an XLSX form. Then, on one real SQLite file, through the real command line (each command a
subprocess) and the answer page over HTTP (the application on the same file, its clock set to the
day):

- 03/07 the Propaganda Board (BTG) answers its three items on time by command (``review answer``);
- 10/07 the People's Committee (UBND) answers all its items on time on the page of its letter's
  link, with values for seven targets (met, on track, at risk, off track);
- 20/07 the Organisation Board (BTC) answers late, by the form a clerk filled in (the labels of the
  drop-down), ``review import``;
- the ten other bodies never answer.

The daily chase runs on the days the policy owes something (offsets 30, 7, 1, 0 working days before
the due date; the ladder 5 and 10 working days after it; no public holiday in June or July 2023):
reminders on 02/06, 05/07, 13/07 and 14/07, level 1 on 21/07, level 2 on 28/07 (the days of
tests/integration/test_review_chase.py). The Office closes the round on 31/07; answers are then
refused by command, by page and by form. The report, read back out of the DOCX and the XLSX, has
the counts of the answers given and the verdicts computed here by hand; the closing letter to the
Standing Committee carries it; LibreOffice prints it and its pages are saved as PNG.
"""

import email
import email.policy
import json
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import getaddresses
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database
from tests.acceptance.test_cli import ok, run
from tests.integration.test_formats import soffice_pdf
from tests.web.browsing import artifacts_folder
from tests.web.review_forms import round_form, send
from web.app import create_app
from workflows.orchestration.runtime import Runtime

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
STATUSES = {"done": "Hoàn thành", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ",
            "not_started": "Chưa triển khai", "blocked": "Vướng mắc"}  # fmt: skip
BY_COMMAND, BY_PAGE, BY_FORM = "BTG", "UBND", "BTC"
ANSWERED = (BY_COMMAND, BY_PAGE, BY_FORM)
REMINDERS = {date(2023, 6, 2): 30, date(2023, 7, 5): 7, date(2023, 7, 13): 1, date(2023, 7, 14): 0}
RUNGS = {date(2023, 7, 21): 1, date(2023, 7, 28): 2}
ANSWERED_ON = {BY_COMMAND: date(2023, 7, 3), BY_PAGE: date(2023, 7, 10), BY_FORM: date(2023, 7, 20)}

# What the bodies report for their targets: (item, indicator position as the form numbers it from 1): value.
PAGE_VALUES = {
    ("B.II.1.1", 1): "7,2",   # GRDP growth, at least 7,5 %
    ("B.II.1.4", 1): "1,2",   # exports, 2 billion USD
    ("B.II.1.5", 1): "1,5",   # budget revenue, 2,2 times 2020
    ("B.II.1.7", 1): "50",    # investment / GRDP, between 55 and 60 %
    ("B.II.2.2", 1): "9",     # new jobs, more than 11,5 thousand
    ("B.II.2.2", 2): "3,5",   # unemployment, below 3,8 %
    ("B.II.2.6", 1): "13",    # stunting, below 8,5 %
    ("B.II.3.1", 1): "47",    # forest cover, more than 46,5 %
}
FORM_VALUES = {
    ("B.II.4.1", 1): 62,      # more than 60 %
    ("B.II.4.1", 2): 16,      # between 15 and 20 %
    ("B.II.4.1", 3): 8,       # between 9 and 12 %
    ("B.II.4.2", 1): 1750,    # at least 1.700 members a year
    ("B.II.4.2", 2): 40,      # at least 55 % young
}
# The elapsed share of the straight path at the end of the period (01/06/2023), from the programme's
# start (01/01/2021) to the end of 2025: 881 days of 1.825.
ELAPSED = 881 / 1825
VERDICTS = {  # worked by hand from the README's rule and the policy's thresholds (0,9 on track, 0,7 at risk)
    ("B.II.1.1", 1): "on_track",   # at least 7,5, no baseline: 7,2 / 7,5 = 0,96
    ("B.II.1.4", 1): "off_track",  # a level of 2 to reach, no baseline: 1,2 / 2 = 0,6
    ("B.II.1.5", 1): "at_risk",    # 2,2 times: path 1 -> 2,2, expected 1 + 1,2 x 0,4827 = 1,579; 0,5 / 0,579 = 0,863
    ("B.II.1.7", 1): "on_track",   # between 55 and 60 from below, no baseline: 50 / 55 = 0,909
    ("B.II.2.2", 1): "at_risk",    # more than 11,5, no baseline: 9 / 11,5 = 0,783
    ("B.II.2.2", 2): "met",        # below 3,8: 3,5
    ("B.II.2.6", 1): "off_track",  # below 8,5, falling, no baseline: 8,5 / 13 = 0,654
    ("B.II.3.1", 1): "met",        # more than 46,5: 47
    ("B.II.4.1", 1): "met",        # more than 60: 62
    ("B.II.4.1", 2): "met",        # between 15 and 20: 16
    ("B.II.4.1", 3): "at_risk",    # between 9 and 12 from below, no baseline: 8 / 9 = 0,889
    ("B.II.4.2", 1): "met",        # at least 1.700: 1.750
    ("B.II.4.2", 2): "at_risk",    # at least 55, no baseline: 40 / 55 = 0,727
    ("B.II.4.3", 1): "no_data",    # answered without a value
    ("B.II.1.2", 1): "no_data",    # answered without a value
}
INDICATORS = 40
"""The indicators of the sample's 26 targets."""
NAMES = {  # the indicators answered, as the document names them (the start of the name)
    ("B.II.1.1", 1): "Tốc độ tăng trưởng kinh tế (GRDP)", ("B.II.1.4", 1): "Kim ngạch xuất khẩu hàng hóa",
    ("B.II.1.5", 1): "Thu ngân sách nội địa", ("B.II.1.7", 1): "Tỷ lệ huy động vốn đầu tư phát triển",
    ("B.II.2.2", 1): "Số người lao động có việc làm tăng thêm", ("B.II.2.2", 2): "tỷ lệ thất nghiệp",
    ("B.II.2.6", 1): "Tỷ lệ suy dinh dưỡng thể thấp còi", ("B.II.3.1", 1): "Tỷ lệ che phủ rừng",
    ("B.II.4.1", 1): "số tổ chức cơ sở đảng đạt mức hoàn thành tốt", ("B.II.4.1", 2): "tổ chức cơ sở đảng đạt mức hoàn thành xuất sắc",
    ("B.II.4.1", 3): "tương ứng tỷ lệ", ("B.II.4.2", 1): "phát triển đảng viên bình quân hàng năm",
    ("B.II.4.2", 2): "trong độ tuổi thanh niên", ("B.II.4.3", 1): "đơn vị kinh tế tư nhân",
    ("B.II.1.2", 1): "GRDP bình quân đầu người",
}  # fmt: skip
VERDICT_WORDS = {"met": "Đạt", "on_track": "Đúng lộ trình", "at_risk": "Có nguy cơ không đạt",
                 "off_track": "Chậm so với lộ trình", "no_data": "Chưa có số liệu"}  # fmt: skip
BLOCKED_NOTE = "Vướng giải phóng mặt bằng, chờ Tỉnh quyết định"
FORM_BLOCKED_NOTE = "Chưa bố trí được kinh phí đào tạo"


@dataclass
class Replay:
    """The round as it was lived: the home, what each body was asked and answered, what came back."""

    home: Path
    opened: str = ""
    asked: dict[str, int] = field(default_factory=dict)
    given: dict[str, Counter[str]] = field(default_factory=dict)
    status: dict[str, dict[str, int]] = field(default_factory=dict)
    refusals: dict[str, tuple[int, str]] = field(default_factory=dict)
    request_links: dict[str, str] = field(default_factory=dict)


def messages(home: Path, where: str, *args: object) -> dict[str, EmailMessage]:
    with sqlite3.connect(home / "dondoc.db") as db:
        rows = db.execute(f"SELECT key, raw FROM outbox WHERE {where}", args).fetchall()
    found = {}
    for key, raw in rows:
        message = email.message_from_string(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage) and not any(part.defects for part in message.walk())
        found[key] = message
    return found


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {str(part.get_filename()): bytes(part.get_content()) for part in message.iter_attachments()}


@contextmanager
def day_app(home: Path, configuration: Configuration, day: date) -> Iterator[TestClient]:
    """The answer page over the replay's database, as it answers on ``day`` (09:00 in Vietnam)."""
    settings = Settings(_env_file=None, home=home)  # the secret key the command line made in home
    runtime = Runtime(settings, configuration, open_database(settings.url))
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=HANOI)
    try:
        with TestClient(create_app(runtime, clock=lambda: moment), raise_server_exceptions=False,
                        follow_redirects=False) as client:
            yield client
    finally:
        runtime.engine.dispose()


def page_answer(home: Path, configuration: Configuration, link: str, day: date) -> Counter[str]:
    """UBND's clerk follows the link, chooses a status for every item, types the values, sends."""
    path = link.removeprefix(Settings(_env_file=None, home=home).base_url)
    with day_app(home, configuration, day) as client:
        page = client.get(path)
        assert page.status_code == 200 and "Đã trả lời 0/" in page.text
        fields = round_form(page.text, f"{path}/review/1")
        keys = [name.split(":", 1)[1] for name in fields if name.startswith("status:")]
        given: Counter[str] = Counter()
        for n, key in enumerate(keys):
            status = "on_track" if key.startswith("B.") else ("done", "on_track", "on_track", "behind")[n % 4]
            status = {"C.I.1.2.1": "blocked", "C.I.1.2.2": "not_started"}.get(key, status)
            fields[f"status:{key}"] = status
            given[status] += 1
        fields["note:C.I.1.2.1"] = BLOCKED_NOTE
        fields["status:B.II.1.4"], fields["status:B.II.2.6"] = "behind", "behind"
        given.update({"behind": 2, "on_track": -2})
        for (key, position), value in PAGE_VALUES.items():
            fields[f"v{position - 1}:{key}"] = value
        sent = client.post(f"{path}/review/1", data=send(fields))
        assert sent.status_code == 303, sent.text[:500]
        assert f"Đã trả lời {len(keys)}/{len(keys)}" in client.get(sent.headers["location"]).text
    return given


def fill_form(home: Path, body: str, out: Path) -> Counter[str]:
    """BTC's clerk opens the form, picks a status from each drop-down, types the values, saves."""
    ok(home, "review", "form", "1", "--body", body, "-o", str(out))
    book = load_workbook(out)
    sheet = book.worksheets[0]
    (validation,) = sheet.data_validations.dataValidation
    labels = validation.formula1.strip('"').split(",")
    assert labels == list(STATUSES.values())
    header = next(n for n, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == "key")
    column = {str(cell.value): n for n, cell in enumerate(sheet[header], 1)}
    wanted = {"B.II.4.1": "on_track", "B.II.4.2": "behind", "B.II.4.3": "not_started", "C.II.1.2.1": "done",
              "C.II.1.2.2": "on_track", "C.II.1.2.3": "blocked", "C.II.1.2.4": "behind"}
    for row in range(header + 1, sheet.max_row + 1):
        key = str(sheet.cell(row, column["key"]).value)
        position = sheet.cell(row, column["Chỉ số"]).value
        if position is None:  # the item's own row: its status, and an account
            sheet.cell(row, column["Tình trạng (chọn)"]).value = labels[list(STATUSES).index(wanted[key])]
            if wanted[key] == "blocked":
                sheet.cell(row, column["Tóm tắt kết quả"]).value = FORM_BLOCKED_NOTE
        elif (key, int(str(position))) in FORM_VALUES:
            sheet.cell(row, column["Giá trị đạt được"]).value = FORM_VALUES[key, int(str(position))]
    book.save(out)
    return Counter(wanted.values())


def chase_days(replay: Replay, configuration: Configuration, until: date) -> None:
    for day in sorted({*REMINDERS, *RUNGS}):
        if day <= until and not messages(replay.home, "kind = 'chase' AND due_date = ?", day.isoformat()):
            ok(replay.home, "chase", "--as-of", day.strftime("%d/%m/%Y"))


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory, configuration: Configuration) -> Replay:
    home = tmp_path_factory.mktemp("review-replay")
    done = Replay(home)
    ok(home, "ingest", "--sample")
    done.opened = ok(home, "review", "open", "--kind", "midterm", "--due", "14/07/2023", "--as-of", "01/06/2023",
                     "--by", "Ban Thường vụ")
    status = json.loads(ok(home, "review", "status", "1", "--json"))
    done.asked = {b["body"]: b["asked"] for b in status["bodies"]}
    letters = messages(home, "kind = 'review_request'")
    links = {key: re.findall(r"https?://\S+/b/\S+", plain(m)) for key, m in letters.items()}
    done.request_links = {key.split(":")[2]: found[0] for key, found in links.items() if found}

    chase_days(done, configuration, until=date(2023, 7, 2))
    for key in ("C.II.1.1.1", "C.II.1.1.2", "C.II.1.1.3"):  # BTG's items, by command, on time
        ok(home, "review", "answer", "1", key, "--status", "done", "--note", "Đã hoàn thành", "--as-of", "03/07/2023")
    done.given[BY_COMMAND] = Counter(done=3)
    chase_days(done, configuration, until=date(2023, 7, 9))
    done.given[BY_PAGE] = page_answer(home, configuration, done.request_links[BY_PAGE], ANSWERED_ON[BY_PAGE])
    chase_days(done, configuration, until=date(2023, 7, 19))
    form = home / "phieu-btc.xlsx"
    done.given[BY_FORM] = fill_form(home, BY_FORM, form)
    assert "đã lưu 7 trả lời của BTC cho đợt 1" in ok(home, "review", "import", str(form), "--as-of", "20/07/2023")
    chase_days(done, configuration, until=date(2023, 7, 30))
    status = json.loads(ok(home, "review", "status", "1", "--json", "--as-of", "30/07/2023"))
    done.status = {b["body"]: {k: b[k] for k in ("asked", "answered", "late", "missing")} for b in status["bodies"]}

    # A silent body (the Fatherland Front's delegation) reads its 28/07 letter's page, fills it, sends it after closing.
    link = re.findall(r"https?://\S+/b/\S+", plain(messages(home, "key = 'chase:DD_MTTQ:2023-07-28'")["chase:DD_MTTQ:2023-07-28"]))[0]
    path = link.removeprefix(Settings(_env_file=None, home=home).base_url)
    with day_app(home, configuration, date(2023, 7, 28)) as client:
        stale = round_form(client.get(path).text, f"{path}/review/1")
    for key in [name.split(":", 1)[1] for name in stale if name.startswith("status:")]:
        stale[f"status:{key}"] = "on_track"
    closed = ok(home, "review", "close", "1", "--as-of", "31/07/2023")
    done.refusals["close"] = (0, closed)
    with day_app(home, configuration, date(2023, 8, 1)) as client:
        page = client.post(f"{path}/review/1", data=send(stale))
        done.refusals["page"] = (page.status_code, page.text)
    late = run(home, "review", "answer", "1", "C.II.3.1", "--status", "done", "--as-of", "01/08/2023")
    done.refusals["command"] = (late.returncode, late.stderr)
    again = run(home, "review", "import", str(form), "--as-of", "01/08/2023")
    done.refusals["form"] = (again.returncode, again.stderr)
    for kind in ("docx", "xlsx"):
        ok(home, "review", "report", "1", "--format", kind, "-o", str(home / f"bao-cao.{kind}"), "--as-of", "31/07/2023")
    return done


def test_opening_prints_the_round_and_queues_one_request_letter_per_body_with_its_link_and_form(replay: Replay) -> None:
    assert replay.opened == "1\n"
    letters = messages(replay.home, "kind = 'review_request'")
    assert sorted(letters) == sorted(f"review:1:{body}" for body in replay.asked)
    assert len(replay.asked) == 13 and sum(replay.asked.values()) == 136  # every body that leads an item
    listed = json.loads(ok(replay.home, "outbox", "list", "--json", "--limit", "500"))["messages"]
    assert Counter(m["kind"] for m in listed)["review_request"] == 13
    for key, message in letters.items():
        body = key.split(":")[2]
        text = plain(message)
        assert "THỜI HẠN GỬI BÁO CÁO: 14/07/2023" in text and f"CÁC NỘI DUNG ĐỀ NGHỊ BÁO CÁO ({replay.asked[body]})" in text
        assert replay.request_links.get(body), f"{key}: no link to the answer page"
        (name, data), = attachments(message).items()
        assert name == f"phieu-bao-cao-dot-1-{body}.xlsx"
        hidden = {row[0]: row[1] for row in load_workbook(BytesIO(data)).worksheets[1].iter_rows(values_only=True)}
        assert (hidden["round"], hidden["body"]) == ("1", body)


def _own_section(text: str) -> re.Match[str] | None:
    return re.search(r"Đợt sơ kết giữa nhiệm kỳ số 1: còn (\d+) mục chưa trả lời, hạn 14/07/2023", text)


def test_the_silent_bodies_are_reminded_then_escalated_in_their_daily_letter_and_those_who_answered_are_not(
    replay: Replay, configuration: Configuration,
) -> None:
    silent = set(replay.asked) - set(ANSWERED)
    assert len(silent) == 10
    for day in sorted({*REMINDERS, *RUNGS}):
        letters = messages(replay.home, "kind = 'chase' AND due_date = ?", day.isoformat())
        told = {key.split(":")[1]: html for key, m in letters.items() if (html := _html(m))}
        owing = {body for body in replay.asked if body not in ANSWERED or ANSWERED_ON[body] >= day}
        reminded = {body for body, html in told.items() if _own_section(html)}
        assert reminded == owing, f"{day}: reminded {sorted(reminded)}, owing {sorted(owing)}"
        for body in owing:
            assert _own_section(told[body])[1] == str(replay.asked[body])  # type: ignore[index]
    rungs = {day: messages(replay.home, "kind = 'chase' AND due_date = ?", day.isoformat()) for day in RUNGS}
    for day, level in RUNGS.items():
        late_by = {1: 5, 2: 10}[level]
        for body in silent:
            text = plain(rungs[day][f"chase:{body}:{day.isoformat()}"])
            assert f"quá hạn {late_by} ngày làm việc, đôn đốc cấp {level}" in text, (day, body)
        office = plain(rungs[day][f"chase:{configuration.registry.coordinator}:{day.isoformat()}"])
        for body in replay.asked:
            name = configuration.registry.bodies[body].name_vi
            line = f"{name}: còn {replay.asked[body]} mục chưa trả lời - quá hạn {late_by} ngày làm việc, đôn đốc cấp {level}"
            assert (line in office) == (body in silent - {configuration.registry.coordinator}), (day, body)
    top = plain(rungs[date(2023, 7, 28)]["chase:BTV:2023-07-28"])
    assert all(configuration.registry.bodies[b].name_vi + ": còn" in top for b in silent - {"BTV"})


def _html(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    return str(body.get_content()) if body is not None else ""


def test_the_status_counts_are_the_answers_given(replay: Replay) -> None:
    for body, asked in replay.asked.items():
        answered = sum(replay.given.get(body, Counter()).values())
        late = answered if body == BY_FORM else 0
        assert replay.status[body] == {"asked": asked, "answered": answered, "late": late, "missing": asked - answered}, body
    assert replay.status[BY_PAGE]["answered"] == replay.asked[BY_PAGE] == 103


def test_a_closed_round_refuses_answers_by_command_by_page_and_by_form(replay: Replay) -> None:
    assert "31/07/2023" in replay.refusals["close"][1]
    code, text = replay.refusals["command"]
    assert code == 6 and "31/07/2023" in text and text.count("\n") == 1 and "Traceback" not in text
    code, text = replay.refusals["page"]
    assert code == 409 and "Đợt số 1 đã đóng ngày 31/07/2023" in text
    code, text = replay.refusals["form"]
    assert code == 6 and "không lưu gì" in text and "Traceback" not in text
    status = json.loads(ok(replay.home, "review", "status", "1", "--json"))
    assert {b["body"]: b["answered"] for b in status["bodies"]} == {b: s["answered"] for b, s in replay.status.items()}
    assert status["round"]["status"] == "closed"


def _tables(data: bytes) -> dict[str, list[list[str]]]:
    """Each table of the DOCX under the last heading before it (the paragraph that names it)."""
    document = Document(BytesIO(data))
    found: dict[str, list[list[str]]] = {}
    heading = ""
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p") and (text := Paragraph(block, document).text.strip()):
            heading = text if re.match(r"^([IVX]+|\d+)\. ", text) else heading
        elif block.tag.endswith("}tbl") and heading and heading not in found:
            found[heading] = [[cell.text for cell in row.cells] for row in Table(block, document).rows]
    return found


def _expected_statuses(replay: Replay, body: str) -> list[int]:
    given = replay.given.get(body, Counter())
    return [given[s] for s in STATUSES] + [replay.asked[body] - sum(given.values()), replay.asked[body]]


def test_the_report_read_back_from_the_docx_has_the_counts_and_the_verdicts(replay: Replay, configuration: Configuration) -> None:
    data = (replay.home / "bao-cao.docx").read_bytes()
    paragraphs = [p.text for p in Document(BytesIO(data)).paragraphs]
    assert "DỰ THẢO" not in paragraphs  # the round is closed: the report is final
    answered = sum(sum(c.values()) for c in replay.given.values())
    late = sum(replay.given[BY_FORM].values())
    assert any(f"13 cơ quan được đề nghị báo cáo về 136 nội dung. Đã có báo cáo về {answered} nội dung "
               f"({answered - late} đúng hạn, {late} muộn); còn {136 - answered} nội dung chưa" in p for p in paragraphs)
    tables = _tables(data)
    code = {b.name_vi: b.code for b in configuration.registry.bodies.values()}  # the report names bodies
    bodies = {code[row[1]]: [int(n) for n in row[2:]]
              for row in tables["I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN"][1:]}
    assert bodies == {b: [s["asked"], s["answered"], s["late"], s["missing"]] for b, s in replay.status.items()}
    by_body = {code[row[1]]: [int(n) for n in row[2:]] for row in tables["4. Theo cơ quan chủ trì"][1:-1]}
    assert by_body == {body: _expected_statuses(replay, body) for body in replay.asked}
    overall = {row[1]: row[2] for row in tables["1. Tổng hợp theo tình trạng"][1:]}
    assert overall["Vướng mắc"] == "2" and overall["Chưa báo cáo"] == str(136 - answered)
    tally = Counter(VERDICTS.values())
    tally["no_data"] += INDICATORS - len(VERDICTS)
    assert (f"{INDICATORS} chỉ số của các chỉ tiêu: {tally['met']} đạt, {tally['on_track']} đúng lộ trình, "
            f"{tally['at_risk']} có nguy cơ không đạt, {tally['off_track']} chậm so với lộ trình, "
            f"{tally['no_data']} chưa có số liệu") in "\n".join(paragraphs)
    shown = {row[1]: row[-1] for row in tables["III. CÁC CHỈ TIÊU"][1:]}
    for (key, position), verdict in VERDICTS.items():
        if verdict == "no_data":
            continue  # the table shows the reported ones first; the XLSX lists every indicator
        found = [word for label, word in shown.items() if label.startswith(f"{key}: {NAMES[key, position]}")]
        assert found == [VERDICT_WORDS[verdict]], f"{key} ({NAMES[key, position]}): {found}"
    attention = tables["IV. NHỮNG NỘI DUNG CẦN BAN THƯỜNG VỤ QUAN TÂM"]
    assert any(BLOCKED_NOTE in row[-1] for row in attention) and any(FORM_BLOCKED_NOTE in row[-1] for row in attention)


def test_the_report_read_back_from_the_xlsx_has_the_counts_and_the_verdicts(replay: Replay) -> None:
    book = load_workbook(replay.home / "bao-cao.xlsx")
    summary, targets, tasks, bodies = book.worksheets
    rows = list(bodies.iter_rows(values_only=True))
    assert rows[0] == ("Mã", "Cơ quan", "Được hỏi", "Đã báo cáo", "Muộn", "Chưa báo cáo")
    assert {r[0]: list(r[2:]) for r in rows[1:]} == {
        b: [s["asked"], s["answered"], s["late"], s["missing"]] for b, s in replay.status.items()}
    header, *lines = list(tasks.iter_rows(values_only=True))
    col = {name: n for n, name in enumerate(header)}
    statuses: dict[str, Counter[str]] = {}
    for line in lines:
        statuses.setdefault(str(line[col["Cơ quan"]]), Counter())[str(line[col["Tình trạng"]])] += 1
    for body in replay.asked:
        given = replay.given.get(body, Counter())
        expected = Counter({STATUSES[s]: n for s, n in given.items() if n})
        expected["Chưa báo cáo"] = replay.asked[body] - sum(given.values())
        assert +statuses[body] == +expected, body
    header, *lines = list(targets.iter_rows(values_only=True))
    assert len(lines) == INDICATORS
    col = {name: n for n, name in enumerate(header)}
    indicator = {(str(line[col["Số hiệu"]]), int(str(line[col["Vị trí"]])) + 1): line for line in lines}  # shown from 1, as the form
    assert all(str(indicator[k][col["Chỉ số"]]).startswith(v) for k, v in NAMES.items())
    assert {k: indicator[k][col["Đánh giá"]] for k in VERDICTS} == {k: VERDICT_WORDS[v] for k, v in VERDICTS.items()}
    for (key, position), value in {**PAGE_VALUES, **FORM_VALUES}.items():
        assert indicator[key, position][col["Đạt được"]] == float(str(value).replace(",", ".")), (key, position)
    expected_b_ii_1_5 = 1 + 1.2 * ELAPSED  # the straight path's value for 2,2 times at 01/06/2023
    assert indicator["B.II.1.5", 1][col["Theo lộ trình"]] == pytest.approx(expected_b_ii_1_5, abs=1e-3)
    assert summary.auto_filter.ref and targets.auto_filter.ref and tasks.auto_filter.ref and bodies.auto_filter.ref


def test_the_closing_letter_carries_the_report_to_the_standing_committee(replay: Replay, configuration: Configuration) -> None:
    (letter,) = messages(replay.home, "kind = 'review_report'").values()
    registry = configuration.registry
    expected = {*registry.bodies["BTV"].emails, *registry.bodies[registry.coordinator].emails}
    sent_to = {address for _, address in getaddresses([*letter.get_all("To", []), *letter.get_all("Cc", [])])}
    assert sent_to >= expected
    files = attachments(letter)
    docx = next(data for name, data in files.items() if name.endswith(".docx"))
    assert any(name.endswith(".xlsx") for name in files)
    assert _tables(docx)["I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN"] == _tables(
        (replay.home / "bao-cao.docx").read_bytes())["I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN"]
    answered, late = sum(sum(c.values()) for c in replay.given.values()), sum(replay.given[BY_FORM].values())
    assert (f"13 cơ quan được đề nghị báo cáo về 136 nội dung; đã nhận báo cáo {answered} nội dung "
            f"({late} nội dung gửi sau thời hạn), 3 cơ quan báo cáo đủ, còn {136 - answered} nội dung") in plain(letter)


def test_the_report_is_dated_as_its_closing_letter_is(replay: Replay) -> None:
    (letter,) = messages(replay.home, "kind = 'review_report'").values()
    assert "Khánh Hòa, ngày 31 tháng 7 năm 2023" in plain(letter)
    head = Document(str(replay.home / "bao-cao.docx")).tables[0].rows[0].cells[1].text.split("\n")
    assert "Khánh Hòa, ngày 31 tháng 7 năm 2023" in head


@pytest.mark.libreoffice
def test_the_report_prints_to_pdf_and_its_pages_are_saved(replay: Replay, tmp_path: Path) -> None:
    shots = artifacts_folder(tmp_path, "review-replay")
    pdf = soffice_pdf(replay.home / "bao-cao.docx", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(info.split("Pages:")[1].split()[0])
    assert 3 <= pages <= 20
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(shots / "bao-cao")], check=True)
    shutil.copy(pdf, shots / pdf.name)
    print(f"review replay report pages: {shots}")
    assert len(list(shots.glob("bao-cao*.png"))) == pages
