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
