"""Lists of bodies and points that open with their lead (issue 12, found by a new user's trial).

One short plan, made for the test, as plain text and as a Word file (real table in its appendix):
a "Giao X chủ trì, phối hợp với A, B và C ..." line after a group of bullets (every body of the
list cooperates, not only the first), a "Trách nhiệm ...: X chủ trì, phối hợp với Y" line (X
leads, the verb is not part of its name), names with a comma or a dash inside them ("Sở Văn hóa,
Thể thao và Du lịch", "Sở Lao động - Thương binh và Xã hội") in a line and in a table's cells,
a bullet that opens with its lead, and implementation points that open with their lead and a
verb ("Văn phòng Tỉnh ủy theo dõi ... báo cáo Ban Thường vụ Tỉnh ủy" is led by the office, not by
the committee it reports to). A point opened by a group ("Các huyện ủy ...") or a directing body
("... chỉ đạo ...") stays with the keyword rules, as the bundled sample's points do.
"""

from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import Programme
from tests.unit.test_named_bodies import named_row
from workflows.reading.appendix_columns import body_names
from workflows.reading.body_names import split_names
from workflows.reading.body_suggestions import groups, suggest, unknown_bodies
from workflows.reading.named_bodies import duty_named, opening_named
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

GIAO = ("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính, Sở Khoa học và Công nghệ và Ủy ban nhân "
        "dân các xã, phường thực hiện.")
DUTY = "Trách nhiệm chỉ đạo thực hiện: Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Ủy ban Kiểm tra Tỉnh ủy."
CULTURE = ("Trách nhiệm thực hiện: Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Lao động - Thương binh "
           "và Xã hội, Sở Tài chính.")
PARAGRAPHS: list[tuple[str, str]] = [
    ("plain", "TỈNH ỦY PHÚ YÊN"),
    ("plain", "Số 9-KH/TU"),
    ("plain", "Phú Yên, ngày 5 tháng 3 năm 2026"),
    ("plain", "KẾ HOẠCH"),
    ("plain", "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh, giai đoạn 2026 - 2030"),
    ("plain", "A. NHIỆM VỤ VÀ GIẢI PHÁP"),
    ("plain", "I. Về đầu tư"),
    ("bullet", "Bố trí vốn cho khoa học và công nghệ, hoàn thành trong năm 2027."),
    ("bullet", "Ưu tiên vốn đầu tư công cho hạ tầng số."),
    ("plain", GIAO),
    ("plain", "II. Về xây dựng Đảng"),
    ("bullet", "Sắp xếp tổ chức bộ máy tinh gọn, hoàn thành trong năm 2028."),
    ("plain", DUTY),
    ("plain", "III. Về văn hóa"),
    ("bullet", "Phát triển du lịch văn hóa cộng đồng."),
    ("bullet", "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí cho thiết chế văn hóa, hoàn thành trong "
               "năm 2029."),
    ("plain", CULTURE),
    ("plain", "B. TỔ CHỨC THỰC HIỆN"),
    ("plain", "I. Các huyện ủy, thị ủy, thành ủy xây dựng kế hoạch thực hiện trước ngày 31/3/2026."),
    ("plain", "II. Văn phòng Tỉnh ủy theo dõi, đôn đốc, định kỳ hằng năm (trước ngày 15/12) tổng hợp báo cáo Ban "
              "Thường vụ Tỉnh ủy."),
    ("plain", "III. Văn phòng Ủy ban nhân dân tỉnh giúp Đảng ủy theo dõi, đôn đốc, tổng hợp kết quả thực hiện; báo "
              "cáo Ban Thường vụ Tỉnh ủy trước ngày 15/12/2026."),
    ("plain", "IV. Giao Sở Khoa học và Công nghệ chủ trì, theo dõi, đôn đốc, tổng hợp tình hình thực hiện Kế hoạch, "
              "báo cáo Ủy ban nhân dân tỉnh."),
    ("plain", "V. Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh xây dựng kế hoạch thực hiện."),
    ("plain", "T/M TỈNH ỦY"),
    ("plain", "BÍ THƯ"),
    ("plain", "Nguyễn Văn A"),
]
APPENDIX_TITLE = ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ TRỌNG TÂM"]
TABLE = [
    ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Tuyên truyền sử dụng định danh điện tử", "Công an tỉnh",
     "Sở Văn hóa, Thể thao và Du lịch, Sở Lao động - Thương binh và Xã hội; Đoàn Thanh niên tỉnh", "Quý III/2027"],
    ["2", "Cung cấp dịch vụ công trực tuyến toàn trình", "Văn phòng Tỉnh ủy",
     "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", "Hằng năm"],
]  # fmt: skip

RESPONSIBILITY = "named: responsibility line"
OPENING = "named: opening words"
UNKNOWN = "named body not in registry: "
GIAO_PARTNERS = ("Sở Tài chính", "Sở Khoa học và Công nghệ", "Ủy ban nhân dân các xã, phường")
CULTURE_NAME = "Sở Văn hóa, Thể thao và Du lịch"
LABOUR = "Sở Lao động - Thương binh và Xã hội"
EXPECTED = [
    # key, lead, cooperating, lead as named, cooperating as named, the lead's rule, due
    ("A.I.1", "SKHDT", ["STC"], "Sở Kế hoạch và Đầu tư", GIAO_PARTNERS,
     f"{RESPONSIBILITY} (Sở Kế hoạch và Đầu tư)", "2027-12-31"),
    ("A.I.2", "SKHDT", ["STC"], "Sở Kế hoạch và Đầu tư", GIAO_PARTNERS,
     f"{RESPONSIBILITY} (Sở Kế hoạch và Đầu tư)", "2030-12-31"),
    ("A.II.1", "BTC", ["UBKT"], "Ban Tổ chức Tỉnh ủy", ("Ủy ban Kiểm tra Tỉnh ủy",),
     f"{RESPONSIBILITY} (Ban Tổ chức Tỉnh ủy)", "2028-12-31"),
    ("A.III.1", "UBND", ["STC"], CULTURE_NAME, (LABOUR, "Sở Tài chính"),
     f"{UNKNOWN}Sở Văn hóa, Thể thao…; fallback: default-government", "2030-12-31"),
    ("A.III.2", "STC", [], "Sở Tài chính", ("Sở Nội vụ",), f"{OPENING} (Sở Tài chính)", "2029-12-31"),
    ("B.I", "HTU", ["DUTT", "DD_MTTQ", "CTXH"], None, (), "d-local-committees", "2026-03-31"),
    ("B.II", "VPTU", [], "Văn phòng Tỉnh ủy", (), f"{OPENING} (Văn phòng Tỉnh ủy)", "2026-12-15"),
    ("B.III", "UBND", [], "Văn phòng Ủy ban nhân dân tỉnh", (),
     f"{UNKNOWN}Văn phòng Ủy ban nhân…; fallback: default-government", "2026-12-15"),
    ("B.IV", "UBND", [], "Sở Khoa học và Công nghệ", (),
     f"{UNKNOWN}Sở Khoa học và Công n…; fallback: default-government", "2030-12-31"),
    ("B.V", "BCSD_UBND", ["UBND"], None, (), "d-government", "2030-12-31"),
    ("PL1.1", "UBND", [], "Công an tỉnh", (CULTURE_NAME, LABOUR, "Đoàn Thanh niên tỉnh"),
     f"{UNKNOWN}Công an tỉnh; fallback: default-government", "2027-09-30"),
    ("PL1.2", "VPTU", [], "Văn phòng Tỉnh ủy", ("Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"),
     "named: table column (Văn phòng Tỉnh ủy)", "2030-12-31"),
]  # fmt: skip


def plain() -> str:
    """One line per paragraph, each table row a line with " | " between its cells."""
    lines = [f"- {text}" if style == "bullet" else text for style, text in PARAGRAPHS]
    lines += ["", *APPENDIX_TITLE, "", *(" | ".join(row) for row in TABLE)]
    return "\n".join(lines) + "\n"


def build_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for style, text in PARAGRAPHS:
        document.add_paragraph(text, style="List Bullet" if style == "bullet" else None)
    for line in APPENDIX_TITLE:
        document.add_paragraph(line)
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))


@pytest.fixture(scope="module", params=["text", "docx"])
def programme(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              configuration: Configuration) -> Programme:
    folder = tmp_path_factory.mktemp(request.param)
    path = folder / ("plan.docx" if request.param == "docx" else "plan.txt")
    if request.param == "docx":
        build_docx(path)
    else:
        path.write_text(plain(), encoding="utf-8")
    text = read_document(path, max_bytes=10**7)
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)



def test_every_listed_body_is_kept_and_each_point_or_bullet_that_opens_with_its_lead_names_it(
    programme: Programme,
) -> None:
    assert [named_row(item) for item in programme.items] == EXPECTED


def test_a_name_with_a_comma_or_a_dash_is_one_unknown_body_and_one_suggested_stanza(
    programme: Programme, configuration: Configuration
) -> None:
    unknown = unknown_bodies(programme.items, configuration.registry)
    assert unknown == ["Sở Khoa học và Công nghệ", CULTURE_NAME, LABOUR, "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh",
                       "Công an tỉnh", "Đoàn Thanh niên tỉnh"]  # collective names are groups, not bodies to register
    assert groups(programme.items, configuration.registry) == [
        "Ủy ban nhân dân các xã, phường", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    stanzas = suggest(unknown, configuration.registry)
    assert f'name_vi: "{CULTURE_NAME}"' in stanzas and f'name_vi: "{LABOUR}"' in stanzas
    assert stanzas.count("  - code: ") == len(unknown)
    assert "Thể thao và Du lịch\"" not in stanzas.replace(CULTURE_NAME, "")


def test_a_responsibility_line_keeps_every_body_of_its_lists() -> None:
    giao = duty_named(GIAO)
    assert giao is not None and (giao.lead, giao.cooperating) == ("Sở Kế hoạch và Đầu tư", GIAO_PARTNERS)
    duty = duty_named(DUTY)
    assert duty is not None and (duty.lead, duty.cooperating) == ("Ban Tổ chức Tỉnh ủy", ("Ủy ban Kiểm tra Tỉnh ủy",))
    culture = duty_named(CULTURE)
    assert culture is not None and (culture.lead, culture.cooperating) == (CULTURE_NAME, (LABOUR, "Sở Tài chính"))


@pytest.mark.parametrize(("text", "names"), [
    ("Ban Tổ chức Tỉnh ủy chủ trì", ["Ban Tổ chức Tỉnh ủy"]),  # a verb ends a name
    ("Sở Nội vụ bố trí kinh phí, hoàn thành trong năm 2029", ["Sở Nội vụ"]),
    # as before the fix, and kept so: a line's list already split this way (the fault was the line's end)
    ("Sở Văn hóa, Thể thao và Du lịch, Sở Lao động - Thương binh và Xã hội", [CULTURE_NAME, LABOUR]),
    ("Sở Tài chính, Sở Khoa học và Công nghệ và Ủy ban nhân dân các xã, phường", list(GIAO_PARTNERS)),
    ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
])  # fmt: skip
def test_a_list_splits_only_where_a_new_body_starts(text: str, names: list[str]) -> None:
    assert split_names(text) == names


@pytest.mark.parametrize(("cell", "names"), [
    ("Sở Văn hóa, Thể thao và Du lịch; Đoàn Thanh niên tỉnh", [CULTURE_NAME, "Đoàn Thanh niên tỉnh"]),
    ("Sở Lao động - Thương binh và Xã hội, Sở Tài chính", [LABOUR, "Sở Tài chính"]),
    # as before the fix, and kept so: another body after a comma, and groups, stay as they were
    ("Sở Tài chính, Hiệp hội Doanh nghiệp tỉnh", ["Sở Tài chính", "Hiệp hội Doanh nghiệp tỉnh"]),
    ("Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", ["Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]),
])  # fmt: skip
def test_a_tables_cell_splits_only_where_a_new_body_starts(cell: str, names: list[str]) -> None:
    assert body_names(cell) == names


@pytest.mark.parametrize("text", [
    "Đoàn kết các lực lượng thực hiện nhiệm vụ.",  # a sentence that only starts with a body's word
    "Báo cáo kết quả thực hiện hằng năm.",
    "Các sở, ban, ngành xây dựng kế hoạch.",  # a group: the keyword rules decide
    "Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo cụ thể hóa Chương trình.",  # a directing body: likewise
])  # fmt: skip
def test_a_sentence_that_does_not_open_with_one_body_and_its_verb_names_no_lead(text: str) -> None:
    assert opening_named(text) is None


@pytest.mark.parametrize(("text", "lead", "cooperating"), [
    ("Đoàn Thanh niên tỉnh chủ trì tổ chức các hoạt động tình nguyện.", "Đoàn Thanh niên tỉnh", ()),
    ("Uỷ ban nhân dân tỉnh chủ trì, phối hợp với Sở Y tế, Sở Lao động - Thương binh và Xã hội thực hiện.",
     "Uỷ ban nhân dân tỉnh", ("Sở Y tế", LABOUR)),  # the tone mark on the old place
    ("Giao Sở Khoa học và Công nghệ chủ trì, theo dõi, đôn đốc việc thực hiện.", "Sở Khoa học và Công nghệ", ()),
])  # fmt: skip
def test_a_sentence_that_opens_with_a_body_and_its_verb_names_its_lead(
    text: str, lead: str, cooperating: tuple[str, ...]
) -> None:
    named = opening_named(text)
    assert named is not None and (named.lead, named.cooperating, named.where) == (lead, cooperating, "opening words")
