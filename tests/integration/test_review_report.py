"""The review report compiled from a replayed round, read back as a user would read it.

Given the bundled sample stored and a mid-term round opened on 01/07/2023 (period 01/01/2021 to
30/06/2023, answers due 31/07/2023): the People's Committee (UBND) answers six of its targets with
values and one task as blocked on 20/07 by the page; the Finance Board (BTC) answers all seven of
its items late, on 05/08, by the form; the Propaganda Board (BTG) answers on 15/08, after the day
the report speaks of (10/08); the other bodies never answer. The report's counts, read back out of
the XLSX with openpyxl, are the answers given; its verdicts are the ones computed by hand; the HTML
has its five sections, the draft mark while the round is open, and fetches nothing.
"""

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.queries import find_document
from models.reviews import BodyProgress, asked_of, close_round, find_round, open_round, questions, record_answer
from notifications.review_letter import report_email
from notifications.review_report import render_report
from notifications.review_report.model import ReviewReport
from workflows.orchestration.ingest import parse_file, sample_path, store
from workflows.orchestration.review_report import compile_report

OPENED, DUE, AS_OF = date(2023, 7, 1), date(2023, 7, 31), date(2023, 8, 10)
ON_TIME, LATE, AFTER = date(2023, 7, 20), date(2023, 8, 5), date(2023, 8, 15)
# elapsed share at 30/06/2023 of the way from 01/01/2021 to 31/12/2025: 910 / 1825 = 0.49863
VALUES: dict[str, tuple[str, str | None, dict[str, float]]] = {  # item: (status, note, {position: value})
    "B.II.1.1": ("on_track", "Tăng trưởng 6,8%/năm", {"0": 6.8}),
    "B.II.1.5": ("behind", "Thu ngân sách gặp khó khăn do dịch bệnh", {"0": 1.3}),
    "B.II.1.6": ("on_track", None, {"0": 400, "1": 8}),
    "B.II.1.7": ("done", None, {"0": 57}),
    "B.II.2.1": ("on_track", None, {"0": 0.8, "1": 4.5}),
    "B.II.2.2": ("behind", "Thất nghiệp còn cao", {"1": 4.5}),
}
VERDICTS = {  # (item, indicator position): verdict, worked by hand
    ("B.II.1.1", 0): "on_track",   # at least 7,5, no baseline: 6,8 / 7,5 = 0,907 >= 0,9
    ("B.II.1.5", 0): "off_track",  # 2,2 times: expected 1 + 1,2 x 0,49863 = 1,598; (1,3-1)/0,598 = 0,501
    ("B.II.1.6", 0): "met",        # more than 360: 400
    ("B.II.1.6", 1): "off_track",  # more than 12, no baseline: 8 / 12 = 0,667
    ("B.II.1.7", 0): "met",        # between 55 and 60: 57
    ("B.II.2.1", 0): "at_risk",    # 0,5 times (halve): expected 1 - 0,5 x 0,49863 = 0,7507; -0,2/-0,2493 = 0,802
    ("B.II.2.1", 1): "met",        # between 4 and 5: 4,5
    ("B.II.2.2", 0): "no_data",    # not reported
    ("B.II.2.2", 1): "at_risk",    # below 3,8, no baseline: 3,8 / 4,5 = 0,844
}
BLOCKED_NOTE = "Vướng mặt bằng, chờ tỉnh quyết định"
Replayed = tuple[str, int, dict[str, Counter[str]], dict[str, int]]
"""The database's URL, the round, statuses given per body by AS_OF, items asked per body."""


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _replay(engine: Engine, configuration: Configuration) -> tuple[int, dict[str, Counter[str]], dict[str, int]]:
    """Open the round and give the answers; returns the round, statuses given per body by AS_OF,
    and items asked per body."""
    programme = parse_file(sample_path(), settings=Settings(_env_file=None), configuration=configuration)
    store(engine, programme, source=sample_path().name, configuration=configuration, actor="test")
    given: dict[str, Counter[str]] = {}
    with session_scope(engine) as session:
        review = open_round(session, document=find_document(session, None), kind="midterm", due=DUE,
                            period_from=date(2021, 1, 1), period_to=date(2023, 6, 30), actor="Ban Thường vụ",
                            on=OPENED, now=_moment(OPENED))
        pairs = [(item, asked_of(session, review=review, item=item)) for item, _ in questions(session, review=review)]
        blocked = next(item for item, body in pairs if body == "UBND" and item.kind == "task")
        for item, body in pairs:
            if item.key in VALUES or item is blocked:
                status, note, values = VALUES.get(item.key, ("blocked", BLOCKED_NOTE, {}))
                answer = (status, note, values, ON_TIME, "page")
            elif body in ("BTC", "BTG"):
                answer = ("done", f"Đã xong {item.key}", {}, LATE if body == "BTC" else AFTER, "form")
            else:
                continue
            status, note, values, day, channel = answer
            record_answer(session, review=review, item=item, body=body, status=status, note=note, values=values,
                          on=day, channel=channel, actor="test", now=_moment(day))
            if day <= AS_OF:
                given.setdefault(body, Counter())[status] += 1
        asked = Counter(body for _, body in pairs)
        return review.id or 0, given, dict(asked)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path, configuration: Configuration
             ) -> Iterator[Replayed]:
    path = tmp_path_factory.mktemp("review-report") / "dondoc.db"
    path.write_bytes(migrated_sqlite.read_bytes())
    url = f"sqlite:///{path}"
    engine = open_database(url)
    round_id, given, asked = _replay(engine, configuration)
    engine.dispose()
    yield url, round_id, given, asked


def _compile(url: str, round_id: int, configuration: Configuration, as_of: date = AS_OF) -> ReviewReport:
    engine = open_database(url)
    try:
        with session_scope(engine) as session:
            return compile_report(session, find_round(session, round_id), configuration, as_of=as_of)
    finally:
        engine.dispose()


def test_the_summary_counts_the_answers_given_by_the_day_and_who_was_late(replayed: Replayed, configuration: Configuration) -> None:
    url, round_id, given, asked = replayed
    report = _compile(url, round_id, configuration)
    summary = report.summary
    answered = sum(sum(c.values()) for c in given.values())
    assert (summary.bodies_asked, summary.items_asked) == (len(asked), sum(asked.values()))
    assert (summary.items_answered, summary.answered_late) == (answered, asked["BTC"])
    assert summary.answered_on_time == answered - asked["BTC"]
    assert summary.items_missing == sum(asked.values()) - answered
    assert (summary.bodies_complete, summary.bodies_partial) == (1, 1)  # BTC in full, UBND in part
    assert "BTG" in summary.bodies_silent  # its answer came after the report's day
    assert set(summary.bodies_silent) == set(asked) - {"BTC", "UBND"}
    for body in report.bodies:
        counts = given.get(body.code, Counter())
        assert (body.asked, body.answered) == (asked[body.code], sum(counts.values())), body.code
        assert {s: body.counts.of(s) for s in counts} == dict(counts), body.code


def test_the_verdicts_are_the_hand_computed_ones(replayed: Replayed, configuration: Configuration) -> None:
    url, round_id, _, _ = replayed
    report = _compile(url, round_id, configuration)
    judged = {(t.item_key, t.position): t.verdict for t in report.targets}
    assert {key: judged[key] for key in VERDICTS} == VERDICTS
    assert all(v == "no_data" for key, v in judged.items() if key[0] not in VALUES)
    poor = next(t for t in report.targets if (t.item_key, t.position) == ("B.II.2.1", 0))
    assert (poor.baseline, poor.baseline_text) == (1.0, "năm đầu nhiệm kỳ")
    assert poor.expected == pytest.approx(1 - 0.5 * 910 / 1825)


def test_the_attention_list_has_the_blocked_and_behind_items_in_the_bodys_words(replayed: Replayed, configuration: Configuration) -> None:
    url, round_id, _, _ = replayed
    report = _compile(url, round_id, configuration)
    words = {(a.item_key, a.reason): a.note for a in report.attention}
    assert BLOCKED_NOTE in words.values()
    assert words[("B.II.1.5", "behind")] == "Thu ngân sách gặp khó khăn do dịch bệnh"
    overdue = [a for a in report.attention if a.reason == "overdue"]
    assert overdue and all(a.due < AS_OF and a.status != "done" for a in overdue)


def test_the_xlsx_carries_every_row_with_the_counts_of_the_answers(replayed: Replayed, configuration: Configuration) -> None:
    url, round_id, given, asked = replayed
    book = load_workbook(BytesIO(render_report(_compile(url, round_id, configuration), "xlsx", "vi")))
    assert book.sheetnames[:4] == ["Tổng hợp", "Chỉ tiêu", "Nhiệm vụ", "Cơ quan"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    tasks = list(book["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert len(tasks) == sum(asked.values())
    by_status = Counter(row[6] for row in tasks)
    words = {"done": "Hoàn thành", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ", "blocked": "Vướng mắc"}
    total: Counter[str] = Counter()
    for counts in given.values():
        total.update(counts)
    assert {words[s]: n for s, n in total.items()} == {w: by_status[w] for w in (words[s] for s in total)}
    assert by_status["Chưa báo cáo"] == sum(asked.values()) - sum(total.values())
    due = book["Nhiệm vụ"].cell(row=2, column=6)
    assert isinstance(due.value, datetime) and due.number_format == "dd/mm/yyyy"
    bodies = {row[0]: row[2:] for row in book["Cơ quan"].iter_rows(min_row=2, values_only=True)}
    assert bodies["BTC"] == (asked["BTC"], asked["BTC"], asked["BTC"], 0)  # asked, answered, late, missing
    assert bodies["UBND"][1:3] == (sum(given["UBND"].values()), 0)
    targets = {(row[0], row[1]): row for row in book["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert targets[("B.II.1.5", 0)][11] == 1.3 and isinstance(targets[("B.II.1.5", 0)][7], float)


def test_the_html_has_its_sections_fetches_nothing_and_is_a_draft_while_open(
    replayed: Replayed, configuration: Configuration, tmp_path: Path,
) -> None:
    url, round_id, _, _ = replayed
    page = render_report(_compile(url, round_id, configuration), "html", "vi").decode()
    for heading in ("I. TÓM TẮT", "II. CÁC CHỈ TIÊU", "III. CÁC NHIỆM VỤ", "IV. CÁC CƠ QUAN", "V. NHỮNG NỘI DUNG"):
        assert heading in page
    assert 'id="draft"' in page and "DỰ THẢO" in page
    assert BLOCKED_NOTE in page
    assert not re.search(r"(https?:)?//[a-z]|src=|url\(|@import|<link|<script", page, re.IGNORECASE)
    english = render_report(_compile(url, round_id, configuration), "html", "en").decode()
    assert "I. SUMMARY" in english and "DRAFT" in english


def test_a_closed_round_reports_without_the_draft_mark_from_the_day_it_closed(
    replayed: Replayed, configuration: Configuration, tmp_path: Path,
) -> None:
    url, round_id, _, _ = replayed
    copy = tmp_path / "closed.db"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    engine = open_database(f"sqlite:///{copy}")
    with session_scope(engine) as session:
        close_round(session, review=find_round(session, round_id), actor="Ban Thường vụ", on=date(2023, 8, 12),
                    now=_moment(date(2023, 8, 12)))
    engine.dispose()
    closed = _compile(f"sqlite:///{copy}", round_id, configuration, as_of=date(2023, 8, 12))
    assert not closed.round.draft
    assert 'id="draft"' not in render_report(closed, "html", "vi").decode()
    assert _compile(f"sqlite:///{copy}", round_id, configuration, as_of=AS_OF).round.draft  # not closed yet then


def test_the_command_writes_the_report_and_refuses_what_it_cannot_do(replayed: Replayed, tmp_path: Path) -> None:
    url, round_id, _, asked = replayed
    env = {**os.environ, "DONDOC_DATABASE_URL": url, "DONDOC_LANGUAGE": "vi"}

    def dondoc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from workflows.cli import main; main()", "review", "report", *args],
                              env=env, capture_output=True, text=True, timeout=120)

    done = dondoc(str(round_id), "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), "--as-of", "10/08/2023")
    assert done.returncode == 0, done.stderr
    assert "dự thảo" in done.stdout
    assert load_workbook(tmp_path / "r.xlsx")["Nhiệm vụ"].max_row == sum(asked.values()) + 1
    missing = dondoc("999", "--format", "html", "-o", str(tmp_path / "r.html"))
    assert missing.returncode == 4 and len(missing.stderr.strip().splitlines()) == 1
    bad = dondoc(str(round_id), "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert bad.returncode == 64 and "Traceback" not in bad.stderr
    unwritable = dondoc(str(round_id), "--format", "html", "-o", str(tmp_path / "no" / "such" / "r.html"))
    assert unwritable.returncode == 64 and len(unwritable.stderr.strip().splitlines()) == 1


def test_the_closing_letter_heads_the_late_column_with_the_reports_word(
    replayed: Replayed, configuration: Configuration,
) -> None:
    url, round_id, _, _ = replayed
    report = _compile(url, round_id, configuration)
    engine = open_database(url)
    try:
        with session_scope(engine) as session:
            review = find_round(session, round_id)
    finally:
        engine.dispose()
    letter = report_email(review, [BodyProgress("UBND", 5, 4, 1), BodyProgress("BTC", 2, 0, 0)], key="t",
                          registry=configuration.registry, letterhead=configuration.policy.letterhead, top="BTV",
                          language="vi")
    late = render_report(report, "html", "vi").decode()
    assert "<th style=" in late and ">Muộn</th>" in late  # the report's word for an answer after the deadline
    assert "đã báo cáo / muộn / chưa báo cáo" in letter.text and "quá hạn" not in letter.text
    assert ">Muộn</th>" in letter.html and ">Quá hạn</th>" not in letter.html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_xlsx_shows_kinds_channels_comparators_and_verdicts_in_words(
    replayed: Replayed, configuration: Configuration, language: str,
) -> None:
    url, round_id, _, _ = replayed
    tasks, targets = (("Nhiệm vụ", "Chỉ tiêu") if language == "vi" else ("Tasks", "Targets"))
    book = load_workbook(BytesIO(render_report(_compile(url, round_id, configuration), "xlsx", language)))
    header, *rows = list(book[tasks].iter_rows(values_only=True))
    kinds = {row[header.index("Loại" if language == "vi" else "Kind")] for row in rows}
    channels = {row[header.index("Kênh" if language == "vi" else "Channel")] for row in rows} - {None}
    words = {"vi": ({"Nhiệm vụ", "Chỉ tiêu", "Chỉ đạo"}, {"Trang trả lời", "Biểu mẫu Excel"}),
             "en": ({"Task", "Target", "Directive"}, {"Answer page", "Excel form"})}[language]
    assert "target" not in kinds and kinds <= words[0] and channels == words[1]  # the replay's page and form
    header, *rows = list(book[targets].iter_rows(values_only=True))
    compared = {row[header.index("So sánh" if language == "vi" else "Comparator")] for row in rows}
    assert not compared & {"at_least", "more_than", "below", "between", "times_baseline"}
    assert ("Không dưới" if language == "vi" else "At least") in compared
    verdicts = {row[header.index("Đánh giá" if language == "vi" else "Verdict")] for row in rows}
    assert ("Có nguy cơ không đạt" if language == "vi" else "At risk") in verdicts
