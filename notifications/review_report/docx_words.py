"""The words of the DOCX review report, Vietnamese first and English second, and how it writes numbers.

Kept apart from the layout (``docx.py``) so that the layout reads as the document does and a
wording change touches one table. Numbers follow the reader's habit: ``100.000`` and ``12,5`` in
Vietnamese, ``100,000`` and ``12.5`` in English.
"""

from config.words import label, show_number, word
from notifications.review_report.model import ReviewReport

_PHRASES: dict[str, tuple[str, str]] = {
    "draft": ("DỰ THẢO", "DRAFT"),
    "draft_note": ("Số liệu đến ngày {day}; vòng sơ kết, tổng kết chưa kết thúc.",
                   "Figures as of {day}; the review round is still open."),
    "number": ("Số …-BC/TU", "No. …-BC/TU"),
    "title": ("BÁO CÁO", "REPORT"),
    "kind_midterm": ("Sơ kết giữa nhiệm kỳ thực hiện {programme}", "Mid-term review of the {programme}"),
    "kind_yearly": ("Tổng kết năm {year} thực hiện {programme}", "Review of the year {year} of the {programme}"),
    "kind_final": ("Tổng kết thực hiện {programme}", "Final review of the {programme}"),
    "intro": (
        "Thực hiện {programme}, ngày {opened} Ban Thường vụ đã tổ chức {what} (kỳ báo cáo từ ngày {start} "
        "đến ngày {end}), đề nghị các cơ quan chủ trì báo cáo kết quả thực hiện chậm nhất ngày {due}. "
        "Trên cơ sở báo cáo của các cơ quan, Ban Thường vụ báo cáo như sau:",
        "Implementing the {programme}, on {opened} the Standing Committee opened a {what} (period {start} to "
        "{end}) and asked the leading bodies to report by {due}. From their answers, the Standing Committee "
        "reports as follows:",
    ),
    "what_midterm": (word("round_kind", "midterm"), word("round_kind", "midterm", "en")),
    "what_yearly": (word("round_kind", "yearly") + " {year}", "{year} " + word("round_kind", "yearly", "en")),
    "what_final": (word("round_kind", "final"), word("round_kind", "final", "en")),
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
    "s3_text": ("{total} chỉ số của các chỉ tiêu: {counts}.", "{total} indicators: {counts}."),
    "s3_path": (
        "{with_baseline} chỉ số có mức cơ sở được đánh giá theo lộ trình: đường thẳng từ mức cơ sở đầu nhiệm kỳ "
        "đến chỉ tiêu năm mục tiêu; tỷ lệ là phần quãng đường đã đi so với quãng đường lộ trình phải đi đến cuối "
        "kỳ báo cáo.",
        "{with_baseline} with a baseline are judged along their path, the straight line from the baseline at the "
        "start of the term to the target in its year: the share is how much of the way the path expects by the end "
        "of the period the value has come.",
    ),
    "s3_ratio": (
        "{without} trong {total} chỉ số không có mức cơ sở trong Chương trình nên không có lộ trình: các chỉ số này "
        "được đánh giá bằng tỷ lệ giá trị đạt được chia cho chỉ tiêu (chỉ tiêu chia cho giá trị đạt được với chỉ "
        "tiêu phải giảm), tức là so với chỉ tiêu cuối nhiệm kỳ.",
        "{without} of the {total} indicators have no baseline in the programme, hence no path: they are judged by "
        "the value reached divided by the target (the target divided by the value for a target to fall below), "
        "that is against the end-of-term target.",
    ),
    "s3_grades": (
        "{on_track_word} khi tỷ lệ từ {on_track_pct}% trở lên, {at_risk_word} khi từ {at_risk_pct}% đến dưới "
        "{on_track_pct}%, {off_track_word} khi dưới {at_risk_pct}%.",
        "{on_track_word} means a share of at least {on_track_pct}%, {at_risk_word} at least {at_risk_pct}%, "
        "{off_track_word} below {at_risk_pct}%.",
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
    "chart_targets_axis": ("% quãng đường từ mức cơ sở đến chỉ tiêu (chỉ số không có mức cơ sở: % so với chỉ tiêu)",
                           "% of the way from baseline to target (without a baseline: % of the target)"),
    "chart_path": ("Vị trí theo lộ trình đến cuối kỳ", "Where the path stands at the period's end"),
    "no": ("TT", "No."), "body": ("Cơ quan", "Body"), "asked": ("Được hỏi", "Asked"),
    "answered": ("Đã báo cáo", "Answered"), "late": (label("answer", "late"), label("answer", "late", "en")),
    "missing": (label("answer", "missing"), label("answer", "missing", "en")),
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

_REASON = {"overdue": ("Quá hạn", "Overdue")}
"""Why an item is on the attention list; ``blocked`` and ``behind`` are answer statuses, named as such."""
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
    """An answer's status as a table shows it ("Chậm tiến độ"), ``unanswered`` as "Chưa báo cáo"."""
    if status == "unanswered":
        return label("answer", "missing", language)
    return label("answer_status", status, language)


def verdict_word(verdict: str, language: str) -> str:
    """A verdict as a table shows it: the vocabulary's words, the same in every format and letter."""
    return label("verdict", verdict, language)


def reason_word(reason: str, language: str) -> str:
    pair = _REASON.get(reason)
    return _pick(pair, language) if pair else status_word(reason, language)


def body_names(report: ReviewReport, language: str) -> dict[str, str]:
    """Each body asked, by code, with the registry's name in ``language``: a reader reads names."""
    return {b.code: b.name(language) for b in report.bodies}


def targets_text(report: ReviewReport, language: str) -> str:
    """Section III's paragraph: the indicators by verdict, how the ones with a baseline are judged
    (along their path) and how many have none and are judged against the target itself."""
    total = len(report.targets)
    tally = report.verdict_counts()
    counts = ", ".join(f"{count(tally[v], language)} {word('verdict', v, language)}" for v in tally)
    said = [say("s3_text", language, total=count(total, language), counts=counts)]
    without = sum(1 for t in report.targets if t.baseline is None)
    if without < total:
        said.append(say("s3_path", language, with_baseline=count(total - without, language)))
    if without:
        said.append(say("s3_ratio", language, without=count(without, language), total=count(total, language)))
    said.append(say("s3_grades", language, on_track_pct=round(report.verdict_on_track * 100),
                    at_risk_pct=round(report.verdict_at_risk * 100),
                    on_track_word=label("verdict", "on_track", language),
                    **{f"{v}_word": word("verdict", v, language) for v in ("at_risk", "off_track")}))
    return " ".join(said)


def count(n: int, language: str) -> str:
    """An integer with the reader's thousands separator: 100.000 (vi), 100,000 (en)."""
    return show_number(n, language)


def number(x: float, language: str) -> str:
    """A measured value, at most two decimals, trailing zeros dropped: 12,5 (vi), 12.5 (en)."""
    return show_number(x, language, decimals=2)


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
