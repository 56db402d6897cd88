"""The words a deadline was read from, as the document writes them; yearly items with a quarter or a month."""

from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Term
from workflows.reading.deadlines import deadline_for
from workflows.reading.programme import item_json, parse_programme

TERM = Term(2026, 2030)
START = date(2026, 3, 5)

PLAN = """TỈNH ỦY KHÁNH HÒA
Số 9-KH/TU
Khánh Hòa, ngày 5 tháng 3 năm 2026

KẾ HOẠCH
thực hiện Nghị quyết về chuyển đổi số giai đoạn 2026 - 2030
-----

I. NHIỆM VỤ

1. Hạ tầng số

- Xây dựng trung tâm dữ liệu của tỉnh, hoàn thành trong quý III/2027.

- Sơ kết, báo cáo kết quả chuyển đổi số Quý IV hằng năm.
"""


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        ("Xây dựng trung tâm dữ liệu, hoàn thành trong quý III/2027.", "quý III/2027"),
        ("Ban hành đề án trong QUÝ IV năm 2028.", "QUÝ IV năm 2028"),
        ("Sửa đổi quy chế phối hợp của Uỷ ban. Xong trước\nngày 20/9/2027.", "Xong trước ngày 20/9/2027"),
        ("Thành lập tổ công tác. Tháng 8/2027.", "Tháng 8/2027"),
        ("Báo cáo Thủ tướng định kỳ hằng năm (Trước ngày 15/12).", "Trước ngày 15/12"),
    ],
)
def test_the_deadline_basis_is_the_documents_own_words_not_their_folded_key(text: str, basis: str) -> None:
    assert deadline_for(text, TERM, START).basis == basis


def test_parse_json_shows_the_quarter_as_written(configuration: Configuration) -> None:
    programme = parse_programme(PLAN, rules=configuration.rules, policy=configuration.policy)
    shown = {i.key: item_json(i)["deadline_basis"] for i in programme.items}
    assert shown == {"I.1.1": "quý III/2027", "I.1.2": "Quý IV hằng năm"}


@pytest.mark.parametrize(
    ("text", "start", "due", "basis"),
    [
        ("Sơ kết, báo cáo kết quả Quý IV hằng năm.", date(2026, 3, 5), date(2026, 12, 31), "Quý IV hằng năm"),
        ("Tổ chức hội nghị sơ kết trong quý I hằng năm.", date(2026, 3, 5), date(2026, 3, 31), "quý I hằng năm"),
        ("Tổ chức hội nghị sơ kết trong quý I hằng năm.", date(2026, 4, 1), date(2027, 3, 31), "quý I hằng năm"),
        ("Kiểm tra hồ chứa vào quý 2 hàng năm.", date(2026, 7, 1), date(2027, 6, 30), "quý 2 hàng năm"),
        ("Báo cáo Ban Thường vụ tháng 12 hằng năm.", date(2026, 3, 5), date(2026, 12, 31), "tháng 12 hằng năm"),
        ("Báo cáo Ban Thường vụ tháng 2 hằng năm.", date(2027, 3, 1), date(2028, 2, 29), "tháng 2 hằng năm"),
        ("Báo cáo hằng năm vào ngày 15 tháng 12.", date(2026, 12, 20), date(2027, 12, 15), "ngày 15 tháng 12"),
    ],
)
def test_a_yearly_quarter_or_month_is_due_at_its_end_on_its_first_return_after_the_start(
    text: str, start: date, due: date, basis: str
) -> None:
    deadline = deadline_for(text, TERM, start)
    assert (deadline.due, deadline.recurrence, deadline.basis) == (due, "yearly", basis)


@pytest.mark.parametrize(
    "text",
    ["Báo cáo kết quả 6 tháng và hằng năm.", "Thực hiện hằng năm Nghị quyết ngày 5 tháng 3 năm 2027 của Tỉnh ủy."],
)
def test_a_yearly_item_naming_no_quarter_month_or_day_of_its_own_keeps_the_old_reading(text: str) -> None:
    deadline = deadline_for(text, TERM, START)
    assert deadline.recurrence == "yearly"
    assert deadline.due in (TERM.end, date(2027, 12, 31))
