"""The words a person reads for the codes dondoc stores, in Vietnamese first and in English.

One vocabulary for the letters, the command line and (later) the pages, so that a status or a
body kind is named the same everywhere. Dates are shown as dd/mm/yyyy in both languages.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LANGUAGES = ("vi", "en")

_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "category": {
        "done_on_time": ("hoàn thành đúng hạn", "done on time"),
        "done_late": ("hoàn thành quá hạn", "done late"),
        "not_done_within_deadline": ("chưa hoàn thành, trong hạn", "not done, within deadline"),
        "not_done_overdue": ("chưa hoàn thành, quá hạn", "not done, overdue"),
        "blocked": ("vướng mắc", "blocked"),
    },
    "report": {
        "not_started": ("chưa bắt đầu", "not started"),
        "in_progress": ("đang thực hiện", "in progress"),
        "done": ("hoàn thành", "done"),
        "blocked": ("vướng mắc", "blocked"),
    },
    "extension": {
        "pending": ("chờ quyết định", "pending"),
        "approved": ("chấp thuận", "approved"),
        "refused": ("không chấp thuận", "refused"),
    },
    "outbox": {
        "pending": ("chờ gửi", "pending"),
        "sending": ("đang gửi", "sending"),
        "sent": ("đã gửi", "sent"),
        "dead": ("hỏng", "dead"),
        "uncertain": ("chưa rõ", "uncertain"),
    },
    "item_kind": {
        "target": ("chỉ tiêu", "target"),
        "task": ("nhiệm vụ", "task"),
        "directive": ("chỉ đạo", "directive"),
    },
    "recurrence": {
        "once": ("một lần", "once"),
        "yearly": ("hàng năm", "yearly"),
        "continuous": ("thường xuyên", "continuous"),
    },
    "role": {
        "lead": ("chủ trì", "lead"),
        "cooperating": ("phối hợp", "cooperating"),
    },
    "body_kind": {
        "standing_committee": ("Ban Thường vụ", "standing committee"),
        "party_committee": ("cấp ủy", "party committee"),
        "coordinator": ("cơ quan điều phối", "coordinator"),
        "government": ("chính quyền", "government"),
        "party_group": ("ban cán sự đảng", "party group"),
        "council": ("hội đồng nhân dân", "council"),
        "front": ("Mặt trận", "front"),
        "mass_organisation": ("tổ chức chính trị - xã hội", "mass organisation"),
        "advisory_board": ("ban tham mưu", "advisory board"),
        "local_committee": ("cấp ủy cấp huyện", "local committee"),
        "affiliated_committee": ("đảng ủy trực thuộc", "affiliated committee"),
    },
    "round_kind": {
        "midterm": ("sơ kết giữa nhiệm kỳ", "mid-term review"),
        "yearly": ("tổng kết năm", "yearly review"),
        "final": ("tổng kết nhiệm kỳ", "final review"),
    },
    "answer_status": {
        "done": ("hoàn thành", "done"),
        "on_track": ("đúng tiến độ", "on track"),
        "behind": ("chậm tiến độ", "behind"),
        "not_started": ("chưa triển khai", "not started"),
        "blocked": ("vướng mắc", "blocked"),
    },
    "answer": {
        "on_time": ("đúng hạn", "on time"),
        "late": ("muộn", "late"),
        "missing": ("chưa báo cáo", "not answered"),
    },
    "verdict": {
        "met": ("đạt", "met"),
        "on_track": ("đúng lộ trình", "on track"),
        "at_risk": ("có nguy cơ không đạt", "at risk"),
        "off_track": ("chậm so với lộ trình", "off track"),
        "no_data": ("chưa có số liệu", "no data"),
    },
    "channel": {
        "page": ("trang trả lời", "answer page"),
        "command": ("lệnh của Văn phòng", "the Office's command"),
        "form": ("biểu mẫu Excel", "Excel form"),
        "console": ("trang quản lý của Văn phòng", "the Office's console"),
    },
    "channel_via": {
        "page": ("qua trang trả lời", "through the answer page"),
        "command": ("qua Văn phòng, bằng lệnh", "by the Office, by command"),
        "form": ("qua biểu mẫu Excel", "through the Excel form"),
        "console": ("qua Văn phòng", "through the Office"),
    },
    "comparator": {
        "equal": ("bằng", "equal to"),
        "at_least": ("không dưới", "at least"),
        "more_than": ("trên", "more than"),
        "at_most": ("không quá", "at most"),
        "below": ("dưới", "below"),
        "between": ("trong khoảng", "between"),
        "times_baseline": ("số lần mức cơ sở", "times the baseline"),
    },
}


def word(group: str, code: str, language: str = "vi") -> str:
    """The name of ``code`` in ``group`` (for example ``word("report", "in_progress")``); an
    unknown code is shown as it is."""
    pair = _WORDS[group].get(code)
    if pair is None:
        return code
    return pair[1] if language == "en" else pair[0]


def label(group: str, code: str, language: str = "vi") -> str:
    """The name of ``code`` as a table cell, a list or a drop-down shows it: first letter capital
    ("Có nguy cơ không đạt"), where a sentence uses :func:`word` ("3 có nguy cơ không đạt")."""
    said = word(group, code, language)
    return said[:1].upper() + said[1:]


def names(group: str, language: str = "vi") -> dict[str, str]:
    """Every code of ``group`` with its name, in order."""
    return {code: word(group, code, language) for code in _WORDS[group]}


def codes(group: str) -> tuple[str, ...]:
    return tuple(_WORDS[group])


COMPARATOR_SIGNS: dict[str, str] = {
    "equal": "=", "at_least": "≥", "more_than": ">", "below": "<", "at_most": "≤", "between": "", "times_baseline": "×",
}
"""A target's comparator as a sign (the answer page, the XLSX form): ``≥ 7,5``."""

_TARGET_PHRASES: dict[str, tuple[str, str]] = {
    "equal": ("{v} {u}", "{v} {u}"),
    "at_least": ("từ {v} {u} trở lên", "at least {v} {u}"),
    "more_than": ("trên {v} {u}", "more than {v} {u}"),
    "at_most": ("không quá {v} {u}", "at most {v} {u}"),
    "below": ("dưới {v} {u}", "below {v} {u}"),
    "between": ("{v} - {m} {u}", "{v} - {m} {u}"),
    "times_baseline": ("gấp {v} lần {b}", "{v} times {b}"),
}
"""A target's comparator in a sentence (the request letter): ``{v}`` the value, ``{m}`` the top of
a band, ``{u}`` the unit, ``{b}`` the words for the baseline."""


def comparator_sign(comparator: str) -> str:
    """The sign of ``comparator`` ("≥"); none for an unknown one."""
    return COMPARATOR_SIGNS.get(comparator, "")


def target_phrase(comparator: str, language: str = "vi") -> str:
    """The sentence pattern of ``comparator`` (see ``_TARGET_PHRASES``); the bare value for an unknown one."""
    vi, en = _TARGET_PHRASES.get(comparator, ("{v} {u}", "{v} {u}"))
    return en if language == "en" else vi


def show_number(value: float, language: str = "vi", *, decimals: int = 6) -> str:
    """A number as the reader writes it, at most ``decimals`` decimals and no trailing zeros:
    1.250 and 7,5 in Vietnamese (the comma is the decimal mark, the dot groups thousands), 1,250
    and 7.5 in English. Every page, letter, form and report shows a number through this one."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text if language == "en" else text.translate(_VIETNAMESE_MARKS)


_VIETNAMESE_MARKS = str.maketrans(",.", ".,")


def show_value(name: str, value: object, unit: str | None, language: str = "vi") -> str:
    """An indicator's value as an answer echoes it: "Tốc độ tăng trưởng GRDP: 7,1 %"."""
    shown = show_number(float(value), language) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    return f"{name}: {shown} {unit}".rstrip() if unit else f"{name}: {shown}"


def show_date(day: date) -> str:
    """A date as a person reads it here: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def date_line(city: str, day: date, language: str) -> str:
    """"Khánh Hòa, ngày 01 tháng 6 năm 2021", the place and date of an administrative letter or
    report (Nghị định 30/2020/NĐ-CP): the day below 10 and the months 1 and 2 with a leading zero;
    in English ``city, dd/mm/yyyy``. Every letter and the review report write it with this one."""
    if language == "en":
        return f"{city}, {show_date(day)}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{city}, ngày {day.day:02d} tháng {month} năm {day.year}"


def show_moment(moment: datetime, zone: str = "Asia/Ho_Chi_Minh") -> str:
    """A moment as a person reads it here: dd/mm/yyyy HH:MM in Vietnam's time (a naive one is UTC,
    as the database gives it back)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


_PHRASES: dict[str, tuple[str, str]] = {
    "serve_running": ("đang chạy {job} cho ngày {day}", "running {job} for {day}"),
    "serve_taken": ("{job} lúc {slot} đã chạy ở một tiến trình khác", "{job} at {slot} already ran in another process"),
    "serve_signal": ("nhận tín hiệu {signal}: sẽ dừng khi việc đang làm xong", "signal {signal}: stopping after the running job"),
    "serve_next": ("việc {job}: lần chạy tới {when}", "job {job}: next run {when}"),
    "serve_stopped": ("đã dừng", "stopped"),
    "serve_failed": ("{job} không chạy được: {error}", "{job} failed: {error}"),
}
"""Sentences the lower floors write for a person (the ``serve`` log), in Vietnamese and English."""


def phrase(key: str, language: str = "vi", **values: object) -> str:
    """The sentence ``key`` in ``language``, filled with ``values``."""
    vi, en = _PHRASES[key]
    return (en if language == "en" else vi).format(**values)


_ERRORS: dict[str, tuple[str, str]] = {
    "setting": ("thiết lập DONDOC_{name}: {message}", "setting DONDOC_{name}: {message}"),
    "setting_choice": ("thiết lập DONDOC_{name}: không dùng được {value!r}; chọn {expected_vi}",
                       "setting DONDOC_{name}: {value!r} is not supported; choose {expected}"),
    "setting_int_parsing": ("thiết lập DONDOC_{name}: {value!r} không phải số nguyên",
                            "setting DONDOC_{name}: {value!r} is not a whole number"),
    "setting_float_parsing": ("thiết lập DONDOC_{name}: {value!r} không phải một số", "setting DONDOC_{name}: {value!r} is not a number"),
    "setting_bool_parsing": ("thiết lập DONDOC_{name}: {value!r} không phải true hoặc false",
                             "setting DONDOC_{name}: {value!r} is not true or false"),
    "setting_less_than_equal": ("thiết lập DONDOC_{name}: {value!r} lớn quá; tối đa {le}",
                                "setting DONDOC_{name}: {value!r} is too large; at most {le}"),
    "setting_greater_than_equal": ("thiết lập DONDOC_{name}: {value!r} nhỏ quá; tối thiểu {ge}",
                                   "setting DONDOC_{name}: {value!r} is too small; at least {ge}"),
    "setting_greater_than": ("thiết lập DONDOC_{name}: {value!r} phải lớn hơn {gt}", "setting DONDOC_{name}: {value!r} must be more than {gt}"),
    "settings_missing": ("không có tệp thiết lập {path} (DONDOC_SETTINGS_FILE)",
                         "settings file {path} (DONDOC_SETTINGS_FILE): no such file"),
    "unknown_body": ("không có cơ quan {name!r}; các cơ quan là: {known}", "unknown body {name!r}; the bodies are: {known}"),
    "no_item": ("không có mục {key!r} trong {document}; 'dondoc items' liệt kê các mục",
                "no item {key!r} in {document}; 'dondoc items' lists the keys"),
    "no_document": ("chưa nạp văn bản {key!r}; 'dondoc documents' liệt kê các văn bản đã nạp",
                    "no document {key!r} is stored; 'dondoc documents' lists them"),
    "no_documents": ("chưa nạp văn bản nào; hãy chạy 'dondoc ingest FILE' trước",
                     "no document is stored yet; run 'dondoc ingest FILE' first"),
    "already_lead": ("{body} đang chủ trì mục {key}; hãy giao chủ trì cho cơ quan khác trước",
                     "{body} leads {key}; make another body the lead first"),
    "no_extension": ("không có đề nghị gia hạn số {id}; 'dondoc extension list' liệt kê các đề nghị",
                     "no extension request {id}; 'dondoc extension list' shows them"),
}
"""What the lower floors (config, models) refuse, in words a clerk or a coordinator reads: raised
as ``NotFoundError.of("no_item", ...)`` (``config.errors``), said in the reader's language."""


def error_words(key: str, /, **values: object) -> tuple[str, str]:
    """The refusal ``key`` filled with ``values``, in Vietnamese and in English."""
    vi, en = _ERRORS[key]
    def marked(language: str) -> dict[str, object]:  # a measure (0.0, 2.5) in the reader's marks; a count or an id as it is
        return {name: show_number(v, language) if isinstance(v, float) else v for name, v in values.items()}
    return vi.format(**marked("vi")), en.format(**marked("en"))


def has_error_words(key: str) -> bool:
    """Whether the vocabulary names the refusal ``key``."""
    return key in _ERRORS
