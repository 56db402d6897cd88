"""Bodies named by the document, and bodies the registry lacks (issue 12).

One short plan, made for the test, as plain text (a responsibility line wrapped into the bullet
before it, no blank lines) and as a Word file (one paragraph each, python-docx's list style for
bullets): a block headed by a body the registry knows, one it lacks, one it knows by another
name, a responsibility line after a group, a "Giao ... chủ trì, phối hợp với ..." sentence and an
unnumbered body heading. Each reads to the same items, leads, cooperating bodies and rules.
"""

from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import ParsedItem, Programme
from workflows.reading.assign import RULE_WIDTH
from workflows.reading.body_names import split_names
from workflows.reading.body_suggestions import code_for, guess_kind, unknown_bodies
from workflows.reading.named_bodies import duty_named, heading_named
from workflows.reading.programme import parse_programme
from workflows.reading.registry_lookup import resolve
from workflows.reading.text import read_document

PARAGRAPHS: list[tuple[str, str]] = [
    ("plain", "TỈNH ỦY PHÚ YÊN"),
    ("plain", "Số 7-KH/TU"),
    ("plain", "Phú Yên, ngày 5 tháng 3 năm 2026"),
    ("plain", "KẾ HOẠCH"),
    ("plain", "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh, giai đoạn 2026 - 2030"),
    ("plain", "C. NHIỆM VỤ VÀ GIẢI PHÁP"),
    ("plain", "I. Nhiệm vụ của các cơ quan"),
    ("plain", "1. Sở Tài chính:"),
    ("bullet", "Cân đối nguồn vốn cho chuyển đổi số, hoàn thành trong năm 2027."),
    ("bullet", "Rà soát các khoản chi của ngân sách tỉnh."),
    ("plain", "2. Sở Khoa học và Công nghệ:"),
    ("bullet", "Xây dựng cơ sở dữ liệu khoa học, hoàn thành trong năm 2028."),
    ("plain", "3. Đảng uỷ Ủy ban nhân dân tỉnh:"),  # the registry's alias is "Đảng ủy UBND tỉnh"
    ("bullet", "Lãnh đạo sắp xếp đơn vị sự nghiệp công lập trong năm 2027."),
    ("plain", "II. Về cải cách hành chính"),
    ("bullet", "Đơn giản hóa thủ tục hành chính trong năm 2027."),
    ("bullet", "Nâng cao chỉ số hài lòng của người dân."),
    ("plain", "Trách nhiệm chỉ đạo thực hiện: Ban cán sự đảng UBND tỉnh. Trách nhiệm thực hiện: UBND tỉnh, "
              "các sở, ngành liên quan."),
    ("bullet", "Kiện toàn tổ chức bộ máy các cơ quan chuyên môn."),
    ("plain", "Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy và Sở Nội vụ tham mưu thực hiện."),
    ("bullet", "Mở rộng dịch vụ công trực tuyến."),
    ("plain", "III. Về công tác kiểm tra"),
    ("plain", "Văn phòng Tỉnh ủy:"),
    ("bullet", "Theo dõi, đôn đốc việc thực hiện kế hoạch, báo cáo hằng năm."),
    ("plain", "D. TỔ CHỨC THỰC HIỆN"),
    ("plain", "I. Các cấp ủy, tổ chức đảng quán triệt và cụ thể hóa kế hoạch này."),
    ("plain", "T/M TỈNH ỦY"),
]
HEADING = "named: block heading"
DUTY = "named: responsibility line"
EXPECTED = [
    # key, lead, cooperating, lead_named, cooperating_named, rule, due
    ("C.I.1.1", "STC", [], "Sở Tài chính", (), f"{HEADING} (Sở Tài chính)", "2027-12-31"),
    ("C.I.1.2", "STC", [], "Sở Tài chính", (), f"{HEADING} (Sở Tài chính)", "2030-12-31"),
    ("C.I.2.1", "UBND", [], "Sở Khoa học và Công nghệ", (),
     "named body not in registry: Sở Khoa học và Công n…; fallback: default-government", "2028-12-31"),
    ("C.I.3.1", "BCSD_UBND", [], "Đảng uỷ Ủy ban nhân dân tỉnh", (), f"{HEADING} (Đảng uỷ Ủy ban nhân dân tỉnh)",
     "2027-12-31"),
    ("C.II.1", "BCSD_UBND", ["UBND"], "Ban cán sự đảng UBND tỉnh", ("UBND tỉnh",),
     f"{DUTY} (Ban cán sự đảng UBND tỉnh)", "2027-12-31"),
    ("C.II.2", "BCSD_UBND", ["UBND"], "Ban cán sự đảng UBND tỉnh", ("UBND tỉnh",),
     f"{DUTY} (Ban cán sự đảng UBND tỉnh)", "2030-12-31"),
    ("C.II.3", "BTC", ["VPTU"], "Ban Tổ chức Tỉnh ủy", ("Văn phòng Tỉnh ủy", "Sở Nội vụ"),
     f"{DUTY} (Ban Tổ chức Tỉnh ủy)", "2030-12-31"),
    ("C.II.4", "UBND", [], None, (), "default-government", "2030-12-31"),  # after the last line: the rules
    ("C.III.1", "VPTU", [], "Văn phòng Tỉnh ủy", (), f"{HEADING} (Văn phòng Tỉnh ủy)", "2030-12-31"),
    ("D.I", "UBND", [], None, (), "default-government", "2030-12-31"),
]


def plain() -> str:
    """One line per paragraph, no blank lines: the responsibility line joins the bullet above it."""
    return "\n".join(f"- {text}" if style == "bullet" else text for style, text in PARAGRAPHS) + "\n"


def build_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for style, text in PARAGRAPHS:
        document.add_paragraph(text, style="List Bullet" if style == "bullet" else None)
    document.save(str(path))


@pytest.fixture(scope="module", params=["text", "docx"])
def programme(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              configuration: Configuration) -> Programme:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "docx":
        path = folder / "plan.docx"
        build_docx(path)
    else:
        path = folder / "plan.txt"
        path.write_text(plain(), encoding="utf-8")
    text = read_document(path, max_bytes=10**7)
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)


def named_row(item: ParsedItem) -> tuple[object, ...]:
    """What a named-bodies test compares of an item: its bodies, as named and as resolved, its rule and due date."""
    return (item.key, item.lead, item.cooperating, item.lead_named, item.cooperating_named,
            item.assignments[0].rule, item.due.isoformat())


def test_the_bodies_the_document_names_lead_and_cooperate_before_the_rules(programme: Programme) -> None:
    assert [named_row(item) for item in programme.items] == EXPECTED


def test_cooperating_bodies_carry_the_rule_that_named_them(programme: Programme) -> None:
    items = {item.key: item for item in programme.items}
    assert [(a.body, a.role, a.rule) for a in items["C.II.3"].assignments] == [
        ("BTC", "lead", f"{DUTY} (Ban Tổ chức Tỉnh ủy)"),
        ("VPTU", "cooperating", f"{DUTY} (Văn phòng Tỉnh ủy)"),
    ]


def test_a_responsibility_line_is_not_part_of_the_last_bullets_text(programme: Programme) -> None:
    items = {item.key: item for item in programme.items}
    assert items["C.II.2"].text == "Nâng cao chỉ số hài lòng của người dân."
    assert items["C.II.3"].text == "Kiện toàn tổ chức bộ máy các cơ quan chuyên môn."
    context = next(s.context for s in programme.sections if s.key == "C.II")
    assert context == (
        "Trách nhiệm chỉ đạo thực hiện: Ban cán sự đảng UBND tỉnh. Trách nhiệm thực hiện: UBND tỉnh, các sở, ngành liên quan.",
        "Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy và Sở Nội vụ tham mưu thực hiện.",
    )


def test_the_names_the_registry_lacks_are_listed_once_in_document_order(
    programme: Programme, configuration: Configuration
) -> None:
    assert unknown_bodies(programme.items, configuration.registry) == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]


def test_without_a_registry_the_rules_assign_and_the_names_are_still_kept(configuration: Configuration) -> None:
    bare = parse_programme(plain(), rules=configuration.rules, policy=configuration.policy)
    first = bare.items[0]
    assert (first.lead, first.assignments[0].rule, first.lead_named) == ("UBND", "default-government", "Sở Tài chính")


def test_every_rule_fits_the_databases_column(configuration: Configuration) -> None:
    long_name = "Sở Khoa học, Công nghệ và Đổi mới sáng tạo tỉnh Phú Yên (cơ quan thường trực)"
    text = plain().replace("Sở Khoa học và Công nghệ", long_name)
    parsed = parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)
    assert all(len(a.rule) <= RULE_WIDTH for item in parsed.items for a in item.assignments)
    assert next(i for i in parsed.items if i.key == "C.I.2.1").lead_named == "Sở Khoa học, Công nghệ và Đổi mới sáng tạo tỉnh Phú Yên"


@pytest.mark.parametrize(("name", "code"), [
    ("Ban cán sự đảng UBND tỉnh:", "BCSD_UBND"),
    ("Đảng uỷ Ủy ban nhân dân tỉnh", "BCSD_UBND"),  # an alias, spelt out, tone on the old place
    ("ĐẢNG ĐOÀN HĐND TỈNH", "DD_HDND"),
    ("Ủy ban Kiểm tra Tỉnh ủy (cơ quan thường trực)", "UBKT"),
    ("vptu", "VPTU"),
    ("Department of Finance", "STC"),
    ("Sở Khoa học và Công nghệ", None),
    ("các sở, ngành liên quan", None),
    ("", None),
])
def test_resolve_finds_a_body_by_name_alias_abbreviation_or_code(
    name: str, code: str | None, configuration: Configuration
) -> None:
    assert resolve(name, configuration.registry) == code


def test_a_heading_that_is_a_sentence_names_nobody() -> None:
    assert heading_named("Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh khẩn trương") is None
    assert heading_named("Về kinh tế:") is None
    named = heading_named("Tổ đảng ở các cơ quan nhà nước:")
    assert named is not None and named.lead == "Tổ đảng ở các cơ quan nhà nước"


def test_a_list_of_names_splits_at_and_only_between_bodies() -> None:
    assert split_names("Sở Tài chính và Sở Khoa học và Công nghệ, Sở Văn hóa, Thể thao và Du lịch, các sở, ngành "
                       "có liên quan") == ["Sở Tài chính", "Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch"]
    named = duty_named("Cơ quan chủ trì: Sở Y tế; cơ quan phối hợp: Sở Nội vụ, Sở Tài chính.")
    assert named is not None and (named.lead, named.cooperating) == ("Sở Y tế", ("Sở Nội vụ", "Sở Tài chính"))


def test_a_suggested_code_comes_from_the_initials_and_the_kind_from_the_name() -> None:
    assert code_for("Sở Khoa học và Công nghệ", set()) == "SKHCN"
    assert code_for("Sở Nội vụ", {"SNV"}) == "SONV"  # the first word spelt out where the initials are taken
    assert code_for("Sở Nội vụ", {"SNV", "SONV"}) == "SONV_2"
    assert [guess_kind(n) for n in ("Sở Nội vụ", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Huyện ủy Tuy An",
                                    "Đảng ủy các cơ quan Đảng tỉnh", "Ủy ban nhân dân huyện Sơn Hòa")] == [
        "government", "advisory_board", "local_committee", "party_committee", "government"]


def test_the_bundled_sample_names_no_body_by_heading_or_line(programme_sample: Programme) -> None:
    assert [i.key for i in programme_sample.items if i.lead_named or i.cooperating_named] == []
    assert not any(a.rule.startswith("named") for i in programme_sample.items for a in i.assignments)


@pytest.fixture(scope="module")
def programme_sample(sample_text: str, configuration: Configuration) -> Programme:
    return parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy,
                           registry=configuration.registry)
