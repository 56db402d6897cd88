"""Bodies named for lettered points, by an item's own words, and in lists of mass organisations
(issue 12, found by a second new user's trial).

Short documents made for the test, as Markdown, plain text and a Word file: a "Giao X chủ trì, phối hợp
với ..." line after lettered points a)-e) (not part of e)'s text, names the bodies of all five),
a list whose bodies start otherwise than "Sở"/"Ban" ("Huyện đoàn", "Quản lý thị trường tỉnh",
"Tổng Liên đoàn Lao động Việt Nam" then "và các bộ, ngành, địa phương"), a point that opens with
its body and a verb the list lacked ("Ủy ban Kiểm tra Tỉnh ủy đưa ..."), and a bullet that ends
"; Sở Nội vụ chủ trì." under a group whose line names another lead.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import ParsedItem, Programme
from workflows.reading.assign import assign
from workflows.reading.body_names import split_names
from workflows.reading.body_suggestions import code_for, groups, guess_kind, suggest, unknown_bodies
from workflows.reading.named_bodies import Named
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

GIAO_POINTS = (
    "Giao Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc tỉnh, Tỉnh đoàn, Huyện đoàn "
    "và Hội Liên hiệp Phụ nữ tỉnh theo dõi, hướng dẫn thực hiện các nội dung trên."
)
GIAO_MARKET = "Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính, Quản lý thị trường tỉnh thực hiện."
GIAO_LABOUR = (
    "Giao Bộ Lao động - Thương binh và Xã hội chủ trì, phối hợp với Tổng Liên đoàn Lao động Việt Nam và "
    "các bộ, ngành, địa phương tổ chức thực hiện."
)
LINES = [
    "TỈNH ỦY PHÚ YÊN", "Số 15-CT/TU", "Phú Yên, ngày 9 tháng 3 năm 2026", "CHỈ THỊ",
    "về phòng, chống đuối nước trẻ em, giai đoạn 2026 - 2028", "",
    "I. NHIỆM VỤ TRỌNG TÂM", "",
    "a) Tăng cường tuyên truyền về nguy cơ đuối nước trước ngày 30/5/2026.", "",
    "b) Rà soát, cắm biển cảnh báo tại các khúc sông nguy hiểm; hoàn thành trong năm 2027.", "",
    "c) Đưa kết quả phòng, chống đuối nước vào tiêu chí xếp loại tổ chức đảng cuối năm 2028.", "",
    GIAO_POINTS, "",
    "II. NHIỆM VỤ THƯỜNG XUYÊN", "",
    "- Tăng cường kỷ luật, kỷ cương hành chính của tỉnh; Sở Nội vụ chủ trì.",
    "- Theo dõi chặt chẽ giá cả các mặt hàng thiết yếu.",
    GIAO_MARKET, "",
    "III. NHIỆM VỤ CHĂM LO ĐỜI SỐNG NGƯỜI LAO ĐỘNG", "",
    "- Hằng năm tổ chức Tháng Công nhân tại các khu công nghiệp.",
    GIAO_LABOUR, "",
    "IV. TỔ CHỨC THỰC HIỆN", "",
    "1. Ủy ban Kiểm tra Tỉnh ủy đưa nội dung thực hiện Chỉ thị vào chương trình kiểm tra năm 2027.", "",
    "T/M TỈNH ỦY", "BÍ THƯ", "Nguyễn Văn A",
]  # fmt: skip

POINT_PARTNERS = ("Ủy ban Mặt trận Tổ quốc tỉnh", "Tỉnh đoàn", "Huyện đoàn", "Hội Liên hiệp Phụ nữ tỉnh")
POINT_ROW: tuple[object, ...] = (
    "BTG",
    [],
    "Ban Tuyên giáo Tỉnh ủy",
    POINT_PARTNERS,
    "named: responsibility line (Ban Tuyên giáo Tỉnh ủy)",
)
LABOUR = "Bộ Lao động - Thương binh và Xã hội"
EXPECTED = [
    # key, lead, cooperating, lead as named, cooperating as named, the lead's rule
    ("I.a", *POINT_ROW),
    ("I.b", *POINT_ROW),
    ("I.c", *POINT_ROW),
    ("II.1", "UBND", [], "Sở Nội vụ", (), "named body not in registry: Sở Nội vụ; fallback: default-government"),
    ("II.2", "UBND", ["STC"], "Sở Công Thương", ("Sở Tài chính", "Quản lý thị trường tỉnh"),
     "named body not in registry: Sở Công Thương; fallback: default-government"),
    ("III.1", "UBND", [], LABOUR, ("Tổng Liên đoàn Lao động Việt Nam",),
     "named body not in registry: Bộ Lao động - Thương…; fallback: default-government"),
    ("IV.1", "UBKT", [], "Ủy ban Kiểm tra Tỉnh ủy", (), "named: opening words (Ủy ban Kiểm tra Tỉnh ủy)"),
]  # fmt: skip


def build_docx(path: Path) -> None:
    """One paragraph a line, its parts in bold, its bullets as written ("- ..."), as the trial's Word file had them."""
    import docx

    document = docx.Document()
    for line in LINES:
        if line:
            document.add_paragraph().add_run(line).bold = line[:3] in ("I. ", "II.", "III", "IV.")
    document.save(str(path))


@pytest.fixture(scope="module", params=["md", "txt", "docx"])
def programme(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, configuration: Configuration
) -> Programme:
    path = tmp_path_factory.mktemp(request.param) / f"chithi.{request.param}"
    lines = [
        f"**{line}**" if request.param == "md" and line[:3] in ("I. ", "II.", "III", "IV.") else line for line in LINES
    ]
    if request.param == "docx":
        build_docx(path)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = read_document(path, max_bytes=10**7)
    return parse_programme(
        text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry
    )


def _row(item: ParsedItem) -> tuple[object, ...]:
    return (item.key, item.lead, item.cooperating, item.lead_named, item.cooperating_named, item.assignments[0].rule)


def test_each_item_gets_the_bodies_its_document_names_for_it(programme: Programme) -> None:
    assert [_row(item) for item in programme.items] == EXPECTED


def test_the_line_after_lettered_points_is_not_the_last_points_text(programme: Programme) -> None:
    last = next(item for item in programme.items if item.key == "I.c")
    assert last.text == "Đưa kết quả phòng, chống đuối nước vào tiêu chí xếp loại tổ chức đảng cuối năm 2028."
    section = next(section for section in programme.sections if section.key == "I")
    assert GIAO_POINTS in section.context


@pytest.mark.parametrize(("text", "names"), [
    ("Ủy ban Mặt trận Tổ quốc huyện, Huyện đoàn và Hội Liên hiệp Phụ nữ huyện",
     ["Ủy ban Mặt trận Tổ quốc huyện", "Huyện đoàn", "Hội Liên hiệp Phụ nữ huyện"]),
    ("Sở Tài chính, Quản lý thị trường tỉnh", ["Sở Tài chính", "Quản lý thị trường tỉnh"]),
    ("Sở Nội vụ, Bộ đội Biên phòng tỉnh, Viện kiểm sát nhân dân tỉnh, Kiểm toán nhà nước khu vực III",
     ["Sở Nội vụ", "Bộ đội Biên phòng tỉnh", "Viện kiểm sát nhân dân tỉnh", "Kiểm toán nhà nước khu vực III"]),
    ("Tổng Liên đoàn Lao động Việt Nam và các bộ, ngành, địa phương", ["Tổng Liên đoàn Lao động Việt Nam"]),
    ("Ủy ban Kiểm tra Huyện ủy đưa nội dung", ["Ủy ban Kiểm tra Huyện ủy"]),  # a verb ends a name
    ("Sở Tư pháp phổ biến văn bản", ["Sở Tư pháp"]),
    # the words of a verb right after "ban" are the name's (lower case was cut before the fix)
    ("Ủy ban kiểm tra Huyện ủy", ["Ủy ban kiểm tra Huyện ủy"]),
    ("Ban tổ chức Huyện ủy", ["Ban tổ chức Huyện ủy"]),
])  # fmt: skip
def test_a_list_splits_where_any_body_starts_and_a_verb_ends_a_name(text: str, names: list[str]) -> None:
    assert split_names(text) == names


def test_groups_are_kept_apart_from_the_bodies_to_register(programme: Programme, configuration: Configuration) -> None:
    registry = configuration.registry
    unknown = unknown_bodies(programme.items, registry)
    assert unknown == [
        "Ủy ban Mặt trận Tổ quốc tỉnh",
        "Tỉnh đoàn",
        "Huyện đoàn",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Sở Nội vụ",
        "Sở Công Thương",
        "Quản lý thị trường tỉnh",
        LABOUR,
        "Tổng Liên đoàn Lao động Việt Nam",
    ]
    items = [
        replace(
            programme.items[0],
            lead_named="Bộ Tài chính",
            cooperating_named=(
                "các bộ, ngành, địa phương",
                "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
            ),
        )
    ]
    assert unknown_bodies(items, registry) == ["Bộ Tài chính"]
    assert groups(items, registry) == [
        "các bộ, ngành, địa phương",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
    ]


def test_a_suggested_code_never_clashes_with_the_registry(configuration: Configuration) -> None:
    registry = configuration.registry
    assert "BTC" in registry.bodies
    assert code_for("Bộ Tài chính", set(registry.bodies)) == "BOTC"
    assert "  - code: BOTC  # BTC is Ban Tổ chức Tỉnh ủy: this code is made unique" in suggest(
        ["Bộ Tài chính"], registry
    )
    assert code_for("Bộ Tư pháp", set(registry.bodies)) == "BTP"


@pytest.mark.parametrize(("name", "kind"), [
    ("Tổng Liên đoàn Lao động Việt Nam", "mass_organisation"),
    ("Huyện đoàn", "mass_organisation"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "mass_organisation"),
    ("Hội Nông dân tỉnh", "mass_organisation"),
    ("Hội đồng Lý luận Trung ương", "government"),
    ("Bộ Tài chính", "government"),
])  # fmt: skip
def test_mass_organisations_are_not_government(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


def test_a_body_the_registry_knows_is_found_inside_a_list_read_as_one_name(configuration: Configuration) -> None:
    # "Ủy viên Ban Chấp hành ..." starts with no body's word, so the list stays one name as written;
    # the registry knows its second piece, which then cooperates
    named = Named("Sở Tài chính", ("Sở Nội vụ, Ủy viên Ban Chấp hành Đảng bộ tỉnh",), "responsibility line")
    assignments = assign(
        kind="task",
        part="tasks",
        section="I",
        titles=["I. NHIỆM VỤ"],
        text="Bố trí kinh phí.",
        rules=configuration.rules,
        named=named,
        registry=configuration.registry,
    )
    assert [(a.body, a.role, a.rule) for a in assignments] == [
        ("STC", "lead", "named: responsibility line (Sở Tài chính)"),
        ("BCH", "cooperating", "named: responsibility line (Ủy viên Ban Chấp hành Đảng bộ tỉnh)"),
    ]
