"""What the command line says to people, in Vietnamese first and in English (DONDOC_LANGUAGE=en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("lỗi", "error"),
    "give_file": ("hãy chỉ ra một văn bản (FILE), hoặc --sample để nạp văn bản mẫu",
                  "give a FILE, or --sample for the bundled programme"),
    "parsed": ("Văn bản: {title}\nNhiệm kỳ {first} - {last}, {items} mục", "Document: {title}\nTerm {first} - {last}, {items} items"),
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
    "reported": (
        "Đã ghi báo cáo của {body} về mục {key}: {status} (kỳ báo cáo {period}).",
        "Recorded {body}'s report on {key}: {status} (reporting date {period}).",
    ),
    "extension_requested": (
        "Đề nghị gia hạn số {id}: mục {key} từ {old} đến {new}, chờ Văn phòng quyết định.",
        "Extension request {id}: item {key} from {old} to {new}, waiting for the coordinator.",
    ),
    "extension_decided": (
        "Đề nghị gia hạn số {id} (mục {key}): {status}; hạn là {due}.",
        "Extension request {id} (item {key}): {status}; the item is due {due}.",
    ),
    "sweep_done": (
        "{kind} ngày {day}: {owed} việc đến lượt, {new} thư mới, {queued} thư vào hộp thư đi.",
        "{kind} on {day}: {owed} owed, {new} new emails, {queued} queued in the outbox.",
    ),
    "sweep_dry": (
        "{kind} ngày {day} (chạy thử, không ghi gì): {owed} việc đến lượt, {new} thư sẽ được xếp.",
        "{kind} on {day} (dry run, nothing written): {owed} owed, {new} emails would be queued.",
    ),
    "dispatched": (
        "Đã gửi {sent} thư qua {where}; {retrying} thư chờ gửi lại, {dead} thư hỏng, {uncertain} thư chưa rõ.",
        "Sent {sent} messages through {where}; {retrying} waiting to retry, {dead} dead, {uncertain} uncertain.",
    ),
    "dispatch_dry": ("{n} thư đang chờ gửi qua {where} (chạy thử).", "{n} messages waiting to go through {where} (dry run)."),
    "retried": ("{n} thư sẽ được gửi lại ngay.", "{n} messages are due again now."),
    "sweep_remind": ("Nhắc hạn", "Reminders"),
    "sweep_escalate": ("Đôn đốc", "Escalation"),
    "sweep_digest": ("Tổng hợp tuần", "Weekly digest"),
    "outbox_empty": ("Hộp thư đi trống.", "The outbox is empty."),
}


def say(message: str, language: str = "vi", **values: object) -> str:
    vi, en = MESSAGES[message]
    return (en if language == "en" else vi).format(**values)
