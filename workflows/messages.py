"""What the command line says to people, in Vietnamese first and in English (DONDOC_LANGUAGE=en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("lỗi", "error"),
    "ingested": (
        "Đã nạp {title}: {items} mục ({added} mới, {updated} thay đổi, {retired} loại bỏ, {reassigned} phân công lại).",
        "Ingested {title}: {items} items ({added} new, {updated} changed, {retired} retired, {reassigned} reassigned).",
    ),
    "unchanged": (
        "Không có gì thay đổi: {title} đã được nạp đúng như vậy ({items} mục).",
        "Nothing changed: {title} is already stored as it is ({items} items).",
    ),
    "database": ("Cơ sở dữ liệu: {url}", "Database: {url}"),
    "by_kind": ("Theo loại", "By kind"),
    "by_lead": ("Theo cơ quan chủ trì", "By lead body"),
    "assigned": (
        "Mục {key}: {role} là {body} (trước đó chủ trì: {old}).",
        "Item {key}: {role} is now {body} (lead before: {old}).",
    ),
    "role_lead": ("cơ quan chủ trì", "the lead body"),
    "role_cooperating": ("một cơ quan phối hợp", "a cooperating body"),
    "no_items": ("Không có mục nào khớp bộ lọc.", "No item matches the filters."),
    "col_key": ("Mã", "Key"),
    "col_kind": ("Loại", "Kind"),
    "col_lead": ("Chủ trì", "Lead"),
    "col_cooperating": ("Phối hợp", "Cooperating"),
    "col_due": ("Hạn", "Due"),
    "col_recurrence": ("Lặp lại", "Recurs"),
    "col_text": ("Nội dung", "Text"),
    "col_code": ("Mã", "Code"),
    "col_name": ("Tên", "Name"),
    "col_body_kind": ("Loại cơ quan", "Kind"),
    "col_emails": ("Thư điện tử", "Emails"),
    "col_escalates": ("Báo cáo lên", "Escalates to"),
    "kind_target": ("chỉ tiêu", "target"),
    "kind_task": ("nhiệm vụ", "task"),
    "kind_directive": ("chỉ đạo", "directive"),
    "rec_once": ("một lần", "once"),
    "rec_yearly": ("hàng năm", "yearly"),
    "rec_continuous": ("thường xuyên", "continuous"),
}


def say(message: str, language: str = "vi", **values: object) -> str:
    vi, en = MESSAGES[message]
    return (en if language == "en" else vi).format(**values)
