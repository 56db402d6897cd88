"""The review report as a Word file: what the Standing Committee reads, and what it prints.

Given the bundled sample stored and a mid-term round opened on 01/07/2023, when some bodies answer
(one in full, one in part, the rest never) and the report is compiled and written as DOCX, then
the file read back with python-docx has the Party's heading block, the title, the numbered
sections, and tables whose counts are the answers given; a report of an open round says DỰ THẢO,
a closed one does not; English with ``language="en"``. LibreOffice prints it to PDF and its pages
are rendered to PNG under ``$DONDOC_TEST_ARTIFACTS/review-docx`` (or the test's temporary folder).
A report of 100,000 items and 1,000 bodies stays a few pages. The charts draw every Vietnamese letter.
"""

import shutil
import subprocess
import warnings
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from sqlmodel import select

from config.letterhead import Letterhead
from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.queries import find_document
from models.reviews import asked_of, open_round, questions, record_answer
from models.tables import Indicator
from notifications.review_report import charts
from notifications.review_report.docx import _bar, render_docx
from notifications.review_report.html import render_html
from notifications.review_report.model import (
    AttentionRow,
    BodyRow,
    GroupCounts,
    ReviewReport,
    RoundInfo,
    StatusCounts,
    Summary,
    TargetRow,
)  # fmt: skip
from tests.integration.test_formats import soffice_pdf
from tests.web.browsing import artifacts_folder
from workflows.orchestration.ingest import parse_file, sample_path, store
from workflows.orchestration.review_report import compile_report

OPENED, DUE, AS_OF = date(2023, 7, 1), date(2023, 7, 31), date(2023, 8, 10)
STATUS_CYCLE = ("done", "on_track", "behind", "blocked", "not_started")
STATUS_COLUMNS = ["Hoàn thành", "Đúng tiến độ", "Chậm tiến độ", "Chưa triển khai", "Vướng mắc", "Chưa báo cáo"]


Replayed = tuple[ReviewReport, dict[str, Counter[str]], dict[str, int]]


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite: Path, configuration: Configuration
             ) -> Replayed:
    """The sample's mid-term round replayed: the report, each body's answers by status, items asked per body."""
    path = tmp_path_factory.mktemp("review-docx") / "dondoc.db"
    shutil.copy(migrated_sqlite, path)
    engine = open_database(f"sqlite:///{path}")
    programme = parse_file(sample_path(), settings=Settings(_env_file=None), configuration=configuration)
    store(engine, programme, source=sample_path().name, configuration=configuration, actor="test")
    given: dict[str, Counter[str]] = {}
    with session_scope(engine) as session:
        document = find_document(session, None)
        review = open_round(session, document=document, kind="midterm", due=DUE, period_from=date(2020, 10, 1),
                            period_to=OPENED, actor="Ban Thường vụ", on=OPENED, now=_moment(OPENED))
        pairs = [(item, asked_of(session, review=review, item=item)) for item, _ in questions(session, review=review)]
        per_body = Counter(body for _, body in pairs)
        bodies = [body for body, _ in per_body.most_common()]
        full, part = bodies[0], bodies[1]  # the biggest answers everything on time, the next half of it late
        for n, (item, body) in enumerate(pairs):
            if body not in (full, part) or (body == part and n % 2):
                continue
            status = STATUS_CYCLE[n % len(STATUS_CYCLE)]
            day = date(2023, 7, 20) if body == full else date(2023, 8, 5)
            values = {str(i.position): i.value * (1.0 if n % 2 else 0.2) for i in session.exec(
                select(Indicator).where(Indicator.item_id == item.id)).all()}  # half met, half far behind
            record_answer(session, review=review, item=item, body=body, status=status, note=f"Ý kiến về {item.key}",
                          values=values, on=day, channel="command", actor="test", now=_moment(day))
            given.setdefault(body, Counter())[status] += 1
        report = compile_report(session, review, configuration, as_of=AS_OF)
    engine.dispose()
    return report, given, dict(per_body)


def _read(data: bytes) -> tuple[list[str], list[Table]]:
    document = Document(BytesIO(data))
    return [p.text for p in document.paragraphs], list(document.tables)


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_after(data: bytes, heading: str) -> list[list[str]]:
    """The rows of the first table after the paragraph ``heading``, in the document's order."""
    document = Document(BytesIO(data))
    seen = False
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p") and Paragraph(block, document).text == heading:
            seen = True
        elif seen and block.tag.endswith("}tbl"):
            return _rows(Table(block, document))
    raise AssertionError(f"no table after {heading!r}")


def test_the_report_has_the_heading_block_the_title_and_the_numbered_sections(replayed: Replayed) -> None:
    report, _, _ = replayed
    paragraphs, tables = _read(render_docx(report, "vi"))
    head = _rows(tables[0])[0]
    assert head[0].split("\n") == ["TỈNH ỦY KHÁNH HÒA", "*", "Số …-BC/TU"]
    assert head[1].split("\n") == ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Khánh Hòa, ngày 10 tháng 8 năm 2023"]
    assert "BÁO CÁO" in paragraphs
    assert any(p.startswith("Sơ kết giữa nhiệm kỳ thực hiện Chương trình hành động") for p in paragraphs)
    headings = [p for p in paragraphs if p[:3] in ("I. ", "II.", "III", "IV.") or p[:2] in ("1.", "2.", "3.", "4.")]
    assert [h.split(" ")[0] for h in headings] == ["I.", "II.", "1.", "2.", "3.", "4.", "III.", "IV."]
    assert "DỰ THẢO" in paragraphs  # the round is still open on the report's day
    signature = _rows(tables[-1])[0]
    assert signature[0].startswith("Nơi nhận:") and signature[1].split("\n") == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


def test_the_counts_in_the_tables_are_the_answers_given(replayed: Replayed) -> None:
    report, given, asked = replayed
    data = render_docx(report, "vi")
    code = {b.name_vi: b.code for b in report.bodies}  # the tables name bodies; the test reads their codes back
    answers = {code[row[1]]: row[2:] for row in _table_after(data, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN")[1:]}
    for body, statuses in given.items():
        answered = sum(statuses.values())
        assert answers[body][:2] == [str(asked[body]), str(answered)]
        assert answers[body][3] == str(asked[body] - answered)
    silent = sorted(set(asked) - set(given))
    assert all(answers[b][1] == "0" for b in silent if b in answers)
    by_body = {code[row[1]]: row[2:] for row in _table_after(data, "4. Theo cơ quan chủ trì")[1:-1]}
    for body, statuses in given.items():
        expected = [str(statuses[s]) for s in ("done", "on_track", "behind", "not_started", "blocked")]
        assert by_body[body] == [*expected, str(asked[body] - sum(statuses.values())), str(asked[body])]
    overall = {row[1]: row[2] for row in _table_after(data, "1. Tổng hợp theo tình trạng")[1:]}
    total = sum(asked.values())
    assert overall["Tổng"] == f"{total:,}".replace(",", ".")
    assert overall["Vướng mắc"] == str(sum(c["blocked"] for c in given.values()))
    assert overall["Chưa báo cáo"] == str(total - sum(sum(c.values()) for c in given.values()))
    assert _table_after(data, "2. Theo phần của Chương trình")[0][2:8] == STATUS_COLUMNS


def test_a_closed_round_is_not_a_draft_and_english_reads_in_english(replayed: Replayed) -> None:
    report, _, _ = replayed
    closed = replace(report, round=replace(report.round, closed_by="BTV", closed_on=date(2023, 8, 6)))
    paragraphs, _ = _read(render_docx(closed, "vi"))
    assert "DỰ THẢO" not in paragraphs
    english, tables = _read(render_docx(report, "en"))
    assert "REPORT" in english and "DRAFT" in english
    assert any(p.startswith("Mid-term review of the") for p in english)
    assert _rows(tables[0])[0][1].split("\n")[0] == "COMMUNIST PARTY OF VIETNAM"


def big_report(items: int = 100_000, bodies: int = 1_000) -> ReviewReport:
    """A synthetic round of ``items`` items over ``bodies`` bodies, every table far over its cap."""
    each = items // bodies
    counts = StatusCounts(done=each // 2, on_track=each // 4, behind=5, blocked=5, unanswered=each - each // 2 - each // 4 - 10)
    rows = tuple(BodyRow(f"B{n:04d}", f"Cơ quan số {n}", f"Body {n}", each, each - counts.unanswered, 3, counts)
                 for n in range(bodies))
    whole = StatusCounts(*[counts.of(s) * bodies for s in ("done", "on_track", "behind", "not_started", "blocked", "unanswered")])
    return ReviewReport(
        round=RoundInfo(9, "final", date(2020, 10, 1), date(2025, 9, 30), date(2025, 10, 15), "BTV", date(2025, 10, 1),
                        "BTV", date(2025, 10, 25), date(2025, 10, 25)),
        document_key="big", programme_title="Chương trình", programme_start=date(2020, 10, 1), letterhead=Letterhead(),
        summary=Summary(bodies, items, items - whole.unanswered, items - whole.unanswered - 3 * bodies, 3 * bodies,
                        whole.unanswered, 0, bodies, ()),
        by_status=whole, by_part=tuple(GroupCounts(p, f"Phần {p}", counts) for p in "ABCD"),
        by_section=tuple(GroupCounts(f"C.{n}", f"Mục {n}", counts) for n in range(500)),
        by_body=tuple(GroupCounts(b.code, b.name_vi, counts) for b in rows),
        targets=tuple(TargetRow(f"B.{n}", 1, f"Chỉ số {n}", "%", "at_least", 10.0, None, 20.0, None, 2025, "UBND",
                                15.0 + n % 7, 18.0, 0.8, "at_risk") for n in range(300)),
        attention=tuple(AttentionRow(f"C.{n}", "Nội dung " * 30, "B0001", "blocked", "blocked", date(2024, 1, 1),
                                     "Vướng mắc về vốn " * 40, date(2025, 10, 2)) for n in range(5000)),
        bodies=rows,
    )


def test_a_report_of_100000_items_stays_small() -> None:
    data = render_docx(big_report(), "vi")
    assert len(data) < 600_000
    paragraphs, tables = _read(data)
    assert max(len(t.rows) for t in tables) <= 42
    assert "… và 970 mục khác (xem bản XLSX)." in paragraphs  # the bodies' table stops after 30
    assert "… và 4.960 mục khác (xem bản XLSX)." in paragraphs  # and the attention list after 40


def test_a_chart_title_in_vietnamese_draws_every_letter() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        png = charts.status_chart([("Sở Tài chính ắ ế ổ ự đ Ợ", {"done": 2, "blocked": 1})],
                                  title="Nội dung theo tình trạng: ắ ế ổ ự đ Ợ", status_labels={"done": "Hoàn thành",
                                  "blocked": "Vướng mắc"}, axis_label="Số nội dung")  # fmt: skip
        charts.indicator_chart([charts.IndicatorBar("Tỷ lệ hộ nghèo ắ ế ổ ự đ Ợ", 0.5, 0.6, "at_risk")],
                               title="Chỉ số so với lộ trình ắ ế ổ ự đ Ợ", path_label="Lộ trình",
                               verdict_labels={"at_risk": "Có nguy cơ"}, axis_label="%")
    assert png.startswith(b"\x89PNG")


@pytest.mark.libreoffice
def test_the_report_prints_to_pdf_and_its_pages_are_saved(replayed: Replayed, tmp_path: Path) -> None:
    report, _, _ = replayed
    shots = artifacts_folder(tmp_path, "review-docx")
    for language, source in (("vi", report), ("en", report), ("big", big_report())):
        docx = tmp_path / f"bao-cao-{language}.docx"
        docx.write_bytes(render_docx(source, "en" if language == "en" else "vi"))
        pdf = soffice_pdf(docx, tmp_path / f"pdf-{language}")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(info.split("Pages:")[1].split()[0])
        assert 2 <= pages <= 20, (language, pages)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(shots / f"bao-cao-{language}")], check=True)
        shutil.copy(pdf, shots / pdf.name)
    print(f"review report pages: {shots}")
    assert len(list(shots.glob("bao-cao-vi*.png"))) >= 2


def _indicator(comparator: str, target: float, value: float, verdict: str, share: float | None,
               baseline: float | None = None, expected: float | None = None) -> TargetRow:
    return TargetRow("B.II.2.6", 1, "Tỷ lệ suy dinh dưỡng thể thấp còi", "%", comparator, baseline, None, target, None,
                     2025, "UBND", value, expected, share, verdict)


def test_the_path_chart_draws_a_target_to_fall_below_the_way_its_verdict_reads() -> None:
    # Given stunting to bring below 8,5 % and no baseline: 13 % is 65 % of the way (off track)
    off = _bar(_indicator("below", 8.5, 13.0, "off_track", 8.5 / 13))
    met = _bar(_indicator("below", 3.8, 3.5, "met", None))
    # Then the bar stands where the verdict's share says, not at 13 ÷ 8,5 = 153 %
    assert off.reached == pytest.approx(8.5 / 13) and off.expected == 1.0
    assert met.reached is not None and met.reached >= 1.0
    # and with a baseline, a falling path is drawn from it: 20 % down to 10 %, at 16 % when 13 % was expected
    along = _bar(_indicator("at_most", 10.0, 16.0, "off_track", 0.57, baseline=20.0, expected=13.0))
    assert along.reached == pytest.approx(0.4) and along.expected == pytest.approx(0.7)
    rising = _bar(_indicator("at_least", 80.0, 60.0, "at_risk", 0.75))
    assert rising.reached == pytest.approx(0.75)


def test_the_report_is_dated_as_the_decree_and_the_letters_write_it(replayed: Replayed) -> None:
    report, _, _ = replayed
    for closed_on, said in ((date(2023, 2, 5), "Khánh Hòa, ngày 05 tháng 02 năm 2023"),
                            (date(2023, 7, 31), "Khánh Hòa, ngày 31 tháng 7 năm 2023"),
                            (date(2023, 12, 10), "Khánh Hòa, ngày 10 tháng 12 năm 2023")):
        closed = replace(report, round=replace(report.round, closed_by="BTV", closed_on=closed_on, as_of=closed_on))
        _, tables = _read(render_docx(closed, "vi"))
        assert _rows(tables[0])[0][1].split("\n")[-1] == said
        assert said in render_html(closed, "vi")


def test_the_report_names_bodies_by_their_names_not_their_codes(replayed: Replayed) -> None:
    report, _, _ = replayed
    data = render_docx(report, "vi")
    paragraphs, _ = _read(data)
    (silent,) = [p for p in paragraphs if p.startswith("Các cơ quan chưa báo cáo:")]
    names = {b.code: b for b in report.bodies}
    assert report.summary.bodies_silent and all(names[c].name_vi in silent for c in report.summary.bodies_silent)
    assert not any(code in silent.replace(names[code].name_vi, "") for code in names)  # no BCH, BCSD_UBND ...
    shown = [row[1] for row in _table_after(data, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN")[1:]]
    by_body = [row[1] for row in _table_after(data, "4. Theo cơ quan chủ trì")[1:-1]]
    assert shown and set(shown) <= {b.name_vi for b in report.bodies} and set(by_body) == set(shown)
    attention = _table_after(data, "IV. NHỮNG NỘI DUNG CẦN BAN THƯỜNG VỤ QUAN TÂM")[1:]
    assert attention and {row[3] for row in attention} <= {b.name_vi for b in report.bodies}
    english = render_docx(report, "en")
    assert {row[1] for row in _table_after(english, "4. By leading body")[1:-1]} <= {b.name_en for b in report.bodies}
    page = render_html(report, "vi")
    assert all(f"<b>{b.code}</b>" not in page for b in report.bodies)


def test_one_set_of_verdict_words_in_the_table_the_summary_and_the_html(replayed: Replayed) -> None:
    report, _, _ = replayed
    data = render_docx(report, "vi")
    paragraphs, _ = _read(data)
    words = {"met": "Đạt", "on_track": "Đúng lộ trình", "at_risk": "Có nguy cơ không đạt",
             "off_track": "Chậm so với lộ trình", "no_data": "Chưa có số liệu"}  # fmt: skip
    shown = {row[-1] for row in _table_after(data, "III. CÁC CHỈ TIÊU")[1:]}
    judged = {t.verdict for t in report.targets if t.value is not None}
    assert {"at_risk", "off_track"} & judged and shown == {words[v] for v in judged}
    tally = report.verdict_counts()
    said = ", ".join(f"{tally[v]} {w.lower()}" for v, w in words.items())
    assert any(said in p for p in paragraphs)
    page = render_html(report, "vi")
    assert all(f"<b>{words[v]}</b>" in page for v in judged) and "<b>Chậm</b>" not in page


def test_section_iii_says_how_many_indicators_have_no_baseline_and_how_they_are_judged(replayed: Replayed) -> None:
    report, _, _ = replayed
    without = sum(1 for t in report.targets if t.baseline is None)
    assert 0 < without < len(report.targets)
    paragraphs, _ = _read(render_docx(report, "vi"))
    text = "\n".join(paragraphs)
    assert f"{without} trong {len(report.targets)} chỉ số không có mức cơ sở" in text
    assert "giá trị đạt được chia cho chỉ tiêu" in text
    english, _ = _read(render_docx(report, "en"))
    assert f"{without} of the {len(report.targets)} indicators have no baseline" in "\n".join(english)


def test_the_intro_asks_for_answers_by_the_due_day_not_before_it(replayed: Replayed) -> None:
    report, _, _ = replayed
    paragraphs, _ = _read(render_docx(report, "vi"))
    (intro,) = [p for p in paragraphs if p.startswith("Thực hiện ")]
    assert "chậm nhất ngày 31/07/2023" in intro and "trước ngày" not in intro
    english, _ = _read(render_docx(report, "en"))
    assert any("by 31/07/2023" in p for p in english)
