"""Deadline shapes, cadence by heading and by clause, and plans with no term: as a clerk reads them."""

from datetime import date

import pytest

from config.errors import DocumentError
from config.loading import Configuration
from models.programme import Programme, Term
from workflows.reading.deadlines import deadline_for
from workflows.reading.programme import parse_programme

TERM = Term(2026, 2030)
START = date(2026, 3, 5)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Ban hành đề án trong quý III năm 2027.", date(2027, 9, 30)),
        ("Tổng kết mô hình. Quý III/2027.", date(2027, 9, 30)),
        ("Hoàn thành quy hoạch chi tiết, tháng 8/2027.", date(2027, 8, 31)),
        ("Sửa đổi quy chế làm việc. Xong trong tháng 9/2027.", date(2027, 9, 30)),
        ("Trình Ban Thường vụ đề án trước ngày 20/9/2027.", date(2027, 9, 20)),
        ("Xây dựng hồ chứa nước Sông Chò 2027 - 2028.", date(2028, 12, 31)),
        ("Đầu tư trạm bơm, thời gian thực hiện: 2026-2027.", date(2027, 12, 31)),
    ],
)
def test_quarters_months_days_and_ranges_give_the_last_day_they_name(text: str, due: date) -> None:
    deadline = deadline_for(text, TERM, START, urgent_days=90)
    assert (deadline.due, deadline.recurrence) == (due, "once")


def test_the_month_of_a_dated_resolution_is_not_read_as_a_month_deadline() -> None:
    deadline = deadline_for("Thực hiện Nghị quyết số 10-NQ/TU ngày 5 tháng 3 năm 2027 của Tỉnh ủy.", TERM, START)
    assert deadline.due == date(2027, 12, 31)  # its year, as any year in the item's time; not 31/03/2027


@pytest.mark.parametrize(
    ("start", "due"),
    [(date(2026, 3, 5), date(2026, 12, 15)), (date(2026, 12, 20), date(2027, 12, 15)), (date(2026, 12, 15), date(2026, 12, 15))],
)
def test_a_yearly_day_and_month_is_due_on_its_first_return_after_the_start(start: date, due: date) -> None:
    deadline = deadline_for("Báo cáo kết quả thực hiện định kỳ hằng năm (trước ngày 15/12).", TERM, start)
    assert (deadline.due, deadline.recurrence) == (due, "yearly")


@pytest.mark.parametrize(
    ("text", "recurrence", "due"),
    [
        ("Thường xuyên kiểm tra các hồ chứa.", "continuous", TERM.end),
        ("Rà soát quy hoạch; thường xuyên kiểm tra các hồ chứa.", "continuous", TERM.end),
        ("Nạo vét kênh mương ở những địa bàn thường xuyên bị ngập úng.", "once", TERM.end),
        ("Di dời dân cư khỏi những nơi thường xuyên xảy ra sạt lở.", "once", TERM.end),
        ("Khẩn trương rà soát quy hoạch chung.", "once", date(2026, 6, 3)),
        ("Chỉ đạo Ủy ban nhân dân tỉnh khẩn trương xây dựng kế hoạch.", "once", date(2026, 6, 3)),
        ("Ưu tiên nguồn lực cho các xã. Trong đó, khẩn trương thành lập hợp tác xã.", "once", date(2026, 6, 3)),
        ("Đầu tư hạ tầng các xã miền núi, trong đó, khẩn trương hoàn thành đường giao thông.", "once", TERM.end),
    ],
)
def test_a_cadence_word_counts_where_it_governs_the_task_not_in_a_describing_clause(
    text: str, recurrence: str, due: date
) -> None:
    deadline = deadline_for(text, TERM, START, urgent_days=90)
    assert (deadline.recurrence, deadline.due) == (recurrence, due)


PLAN = """TỈNH ỦY KHÁNH HÒA
Số 7-KH/TU
Khánh Hòa, ngày 5 tháng 3 năm 2026

KẾ HOẠCH
thực hiện Chỉ thị của Ban Thường vụ Tỉnh ủy về phòng, chống thiên tai
-----

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức của cán bộ, đảng viên.

II. NHIỆM VỤ VÀ GIẢI PHÁP

1. Nhiệm vụ cần làm ngay trong năm 2026

- Rà soát các phương án phòng, chống thiên tai.

- Ban hành quy chế phối hợp trước ngày 30/6/2026.

2. Nhiệm vụ thường xuyên

- Tuyên truyền kiến thức phòng, chống thiên tai cho nhân dân.

- Tổng kết công tác phòng, chống thiên tai hằng năm.

3. Nhiệm vụ trọng tâm

- Hoàn thành hồ chứa nước Sông Chò trong quý II/2028.

- Nạo vét kênh mương ở những địa bàn thường xuyên bị ngập úng.

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Kế hoạch này.
"""


def read(text: str, configuration: Configuration) -> Programme:
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy)


def test_a_plan_with_no_term_runs_from_its_issue_date_to_its_latest_deadline(configuration: Configuration) -> None:
    programme = read(PLAN, configuration)
    assert (programme.start, programme.term) == (date(2026, 3, 5), Term(2026, 2028))
    due = {i.key: (i.due, i.recurrence) for i in programme.items}
    assert due == {
        "II.1.1": (date(2026, 12, 31), "once"),
        "II.1.2": (date(2026, 6, 30), "once"),
        "II.2.1": (date(2028, 12, 31), "continuous"),
        "II.2.2": (date(2028, 12, 31), "yearly"),
        "II.3.1": (date(2028, 6, 30), "once"),
        "II.3.2": (date(2028, 12, 31), "once"),
        "III.1": (date(2028, 12, 31), "once"),
    }


def test_a_plan_with_no_term_no_dated_item_is_refused_saying_what_is_missing(configuration: Configuration) -> None:
    undated = PLAN.replace(" trong quý II/2028", "").replace(" trước ngày 30/6/2026", "")
    undated = undated.replace(" trong năm 2026", "")
    with pytest.raises(DocumentError, match="no item carries a date"):
        read(undated, configuration)


def test_a_plan_with_no_term_and_no_issue_date_is_refused(configuration: Configuration) -> None:
    with pytest.raises(DocumentError, match="no issue date"):
        read(PLAN.replace("Khánh Hòa, ngày 5 tháng 3 năm 2026\n", ""), configuration)


def test_the_bundled_sample_keeps_its_deadlines(sample_text: str, configuration: Configuration) -> None:
    programme = read(sample_text, configuration)
    urgent = [i.key for i in programme.items if i.due == date(2021, 4, 1)]
    by_cadence = {r: [i.key for i in programme.items if i.recurrence == r] for r in ("continuous", "yearly")}
    assert urgent == ["C.I.2.1.c.2", "C.I.2.2.a.2", "D.III"]
    assert by_cadence == {
        "continuous": ["C.I.1.3.4", "C.I.4.5", "C.II.1.2.2", "C.II.1.2.3", "C.II.1.4.1", "D.V"],
        "yearly": ["B.II.1.1", "B.II.1.6", "B.II.1.7", "B.II.1.8", "B.II.2.2", "B.II.4.1", "B.II.4.2",
                   "C.II.1.3.2", "C.II.1.5.3", "D.I"],
    }
    assert all(i.due == date(2025, 12, 31) for i in programme.items if i.key not in urgent)
