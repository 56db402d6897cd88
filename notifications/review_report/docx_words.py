"""The words of the DOCX review report, Vietnamese first and English second, and how it writes numbers.

Kept apart from the layout (``docx.py``) so that the layout reads as the document does and a
wording change touches one table. Numbers follow the reader's habit: ``100.000`` and ``12,5`` in
Vietnamese, ``100,000`` and ``12.5`` in English.
"""

_PHRASES: dict[str, tuple[str, str]] = {
    "draft": ("DỰ THẢO", "DRAFT"),
    "draft_note": ("Số liệu đến ngày {day}; vòng sơ kết, tổng kết chưa kết thúc.",
                   "Figures as of {day}; the review round is still open."),
    "number": ("Số …-BC/TU", "No. …-BC/TU"),
    "date_line": ("{city}, ngày {d:02d} tháng {m:02d} năm {y}", "{city}, {d:02d}/{m:02d}/{y}"),
    "title": ("BÁO CÁO", "REPORT"),
    "kind_midterm": ("Sơ kết giữa nhiệm kỳ thực hiện {programme}", "Mid-term review of the {programme}"),
    "kind_yearly": ("Tổng kết năm {year} thực hiện {programme}", "Review of the year {year} of the {programme}"),
    "kind_final": ("Tổng kết thực hiện {programme}", "Final review of the {programme}"),
    "intro": (
        "Thực hiện {programme}, ngày {opened} Ban Thường vụ đã tổ chức {what} (kỳ báo cáo từ ngày {start} "
        "đến ngày {end}), đề nghị các cơ quan chủ trì báo cáo kết quả thực hiện trước ngày {due}. "
        "Trên cơ sở báo cáo của các cơ quan, Ban Thường vụ báo cáo như sau:",
        "Implementing the {programme}, on {opened} the Standing Committee opened a {what} (period {start} to "
        "{end}) and asked the leading bodies to report by {due}. From their answers, the Standing Committee "
        "reports as follows:",
    ),
    "what_midterm": ("sơ kết giữa nhiệm kỳ", "mid-term review"),
    "what_yearly": ("tổng kết năm {year}", "review of the year {year}"),
    "what_final": ("tổng kết", "final review"),
    "s1": ("I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN", "I. HOW THE BODIES ANSWERED"),
    "s1_text": (
        "{bodies} cơ quan được đề nghị báo cáo về {items} nội dung. Đã có báo cáo về {answered} nội dung "
        "({on_time} đúng hạn, {late} muộn); còn {missing} nội dung chưa có báo cáo. {complete} cơ quan đã "
        "báo cáo đầy đủ, {partial} cơ quan báo cáo chưa đầy đủ, {silent} cơ quan chưa báo cáo.",
        "{bodies} bodies were asked about {items} items. {answered} items were answered ({on_time} on time, "
        "{late} late); {missing} items have no answer. {complete} bodies answered in full, {partial} in part "
        "and {silent} not at all.",
    ),
    "silent": ("Các cơ quan chưa báo cáo: {names}.", "Bodies that have not answered: {names}."),
    "s2": ("II. KẾT QUẢ THỰC HIỆN", "II. RESULTS"),
    "s2_1": ("1. Tổng hợp theo tình trạng", "1. Items by status"),
    "s2_2": ("2. Theo phần của Chương trình", "2. By part of the programme"),
    "s2_3": ("3. Theo mục", "3. By section"),
    "s2_4": ("4. Theo cơ quan chủ trì", "4. By leading body"),
    "s3": ("III. CÁC CHỈ TIÊU", "III. TARGETS"),
    "s3_text": (
        "{total} chỉ số của các chỉ tiêu: {met} đạt, {on_track} đúng lộ trình, {at_risk} có nguy cơ không đạt, "
        "{off_track} chậm so với lộ trình, {no_data} chưa có số liệu. Lộ trình là đường thẳng từ mức cơ sở "
        "đầu nhiệm kỳ đến chỉ tiêu năm mục tiêu; đúng lộ trình khi đi được từ {on_track_pct}% quãng đường "
        "phải đi đến cuối kỳ báo cáo, có nguy cơ khi từ {at_risk_pct}%.",
        "{total} indicators: {met} met, {on_track} on track, {at_risk} at risk, {off_track} off track, "
        "{no_data} without data. The path is the straight line from the baseline at the start of the term to "
        "the target in its year; on track means at least {on_track_pct}% of the way the path expects by the "
        "end of the period, at risk at least {at_risk_pct}%.",
    ),
    "none_targets": ("Vòng này không hỏi về chỉ tiêu nào.", "This round asks about no target."),
    "s4": ("IV. NHỮNG NỘI DUNG CẦN BAN THƯỜNG VỤ QUAN TÂM", "IV. ITEMS FOR THE STANDING COMMITTEE'S ATTENTION"),
    "s4_text": ("Các nội dung quá hạn, vướng mắc hoặc chậm tiến độ, kèm ý kiến của cơ quan chủ trì:",
                "Items overdue, blocked or behind, with the leading body's own words:"),
    "none_attention": ("Không có nội dung quá hạn, vướng mắc hoặc chậm tiến độ.", "No item is overdue, blocked or behind."),
    "more": ("… và {n} mục khác (xem bản XLSX).", "… and {n} more (see the XLSX)."),
    "fig_status": ("Hình {n}. Nội dung theo tình trạng, theo cơ quan chủ trì", "Figure {n}. Items by status, per leading body"),
    "fig_status_top": (" ({top} cơ quan có nhiều nội dung nhất)", " (the {top} bodies with the most items)"),
    "fig_targets": ("Hình {n}. Các chỉ số so với lộ trình", "Figure {n}. Indicators against their path"),
    "chart_status": ("Nội dung theo tình trạng", "Items by status"),
    "chart_status_axis": ("% số nội dung của cơ quan (số ở cuối thanh: tổng số nội dung)",
                          "% of the body's items (number at the end: its items)"),
    "chart_targets": ("Chỉ số so với lộ trình", "Indicators against their path"),
    "chart_targets_axis": ("% quãng đường từ mức cơ sở đến chỉ tiêu", "% of the way from baseline to target"),
    "chart_path": ("Vị trí theo lộ trình đến cuối kỳ", "Where the path stands at the period's end"),
    "no": ("TT", "No."), "body": ("Cơ quan", "Body"), "asked": ("Được hỏi", "Asked"),
    "answered": ("Đã báo cáo", "Answered"), "late": ("Muộn", "Late"), "missing": ("Chưa báo cáo", "Missing"),
    "status": ("Tình trạng", "Status"), "count": ("Số nội dung", "Items"), "share": ("Tỷ lệ", "Share"),
    "part": ("Phần", "Part"), "section": ("Mục", "Section"), "total": ("Tổng", "Total"),
    "indicator": ("Chỉ số", "Indicator"), "baseline": ("Mức cơ sở", "Baseline"), "value": ("Đạt được", "Reached"),
    "target": ("Chỉ tiêu", "Target"), "verdict": ("Đánh giá", "Verdict"), "key": ("Số hiệu", "Key"),
    "content": ("Nội dung", "Item"), "reason": ("Lý do", "Reason"), "words": ("Ý kiến của cơ quan", "The body's words"),
    "no_words": ("(không có ý kiến)", "(no words)"),
    "recipients": ("Nơi nhận:", "To:"),
    "recipient_lines": ("- Ban Thường vụ Tỉnh ủy,\n- Các cơ quan chủ trì,\n- Lưu Văn phòng Tỉnh ủy.",
                        "- The Standing Committee,\n- The leading bodies,\n- The Office's file."),
    "on_behalf": ("T/M BAN THƯỜNG VỤ", "ON BEHALF OF THE STANDING COMMITTEE"),
    "signer": ("BÍ THƯ", "SECRETARY"),
}

_STATUS = {
    "done": ("Hoàn thành", "Done"), "on_track": ("Đúng tiến độ", "On track"), "behind": ("Chậm tiến độ", "Behind"),
    "not_started": ("Chưa triển khai", "Not started"), "blocked": ("Vướng mắc", "Blocked"),
    "unanswered": ("Chưa báo cáo", "Not answered"),
}  # fmt: skip
_VERDICT = {
    "met": ("Đạt", "Met"), "on_track": ("Đúng lộ trình", "On track"), "at_risk": ("Có nguy cơ", "At risk"),
    "off_track": ("Chậm", "Off track"), "no_data": ("Chưa có số liệu", "No data"),
}  # fmt: skip
_REASON = {
    "overdue": ("Quá hạn", "Overdue"), "blocked": ("Vướng mắc", "Blocked"), "behind": ("Chậm tiến độ", "Behind"),
}
_COMPARATOR = {
    "at_least": ("≥", "≥"), "more_than": (">", ">"), "at_most": ("≤", "≤"), "below": ("<", "<"),
    "equal": ("", ""), "between": ("", ""), "times_baseline": ("gấp", "×"),
}  # fmt: skip


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def say(key: str, language: str, **values: object) -> str:
    """The phrase ``key`` in ``language``, its ``{placeholders}`` filled from ``values``."""
    return _pick(_PHRASES[key], language).format(**values)


def status_word(status: str, language: str) -> str:
    return _pick(_STATUS.get(status, (status, status)), language)


def verdict_word(verdict: str, language: str) -> str:
    return _pick(_VERDICT.get(verdict, (verdict, verdict)), language)


def reason_word(reason: str, language: str) -> str:
    return _pick(_REASON.get(reason, (reason, reason)), language)


def count(n: int, language: str) -> str:
    """An integer with the reader's thousands separator: 100.000 (vi), 100,000 (en)."""
    text = f"{n:,}"
    return text if language == "en" else text.replace(",", ".")


def number(x: float, language: str) -> str:
    """A measured value, at most two decimals, trailing zeros dropped: 12,5 (vi), 12.5 (en)."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    if language == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(part: int, whole: int, language: str) -> str:
    """``part`` as a share of ``whole``, one decimal: 12,5% (vi), 12.5% (en); 0% of nothing."""
    share = 100 * part / whole if whole else 0.0
    return number(round(share, 1), language) + "%"


def target_text(comparator: str, target: float, target_max: float | None, unit: str, year: int, language: str) -> str:
    """What the document asks, as a person reads it: ``≥ 7 % (2025)``, ``5-7 % (2025)``, ``gấp 2 (2025)``."""
    if comparator == "between" and target_max is not None:
        core = f"{number(target, language)}-{number(target_max, language)}"
    else:
        sign = _pick(_COMPARATOR.get(comparator, ("", "")), language)
        core = f"{sign} {number(target, language)}".strip()
    return f"{core} {unit} ({year})".replace("  ", " ")
