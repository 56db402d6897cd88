"""The daily letter's pure parts: the date line, the letterhead from configuration, who hears of what."""

from datetime import date
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.loading import Configuration
from config.policy import load_policy
from models.states import ItemState, Reminder, Rung
from notifications.chase_letter import date_line
from workflows.orchestration.chase import plan


def test_the_date_line_is_written_as_administrative_letters_write_it() -> None:
    assert date_line("Khánh Hòa", date(2021, 6, 1), "vi") == "Khánh Hòa, ngày 01 tháng 6 năm 2021"
    assert date_line("Khánh Hòa", date(2021, 2, 15), "vi") == "Khánh Hòa, ngày 15 tháng 02 năm 2021"
    assert date_line("Khanh Hoa", date(2021, 6, 1), "en") == "Khanh Hoa, 01/06/2021"


def test_the_letterhead_comes_from_the_policy_file_and_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("letterhead:\n  committee: TỈNH ỦY PHÚ YÊN\n  contact_phone: 0257 000 000\n", encoding="utf-8")
    letterhead = load_policy(path).letterhead
    assert (letterhead.committee, letterhead.contact_phone, letterhead.office) == ("TỈNH ỦY PHÚ YÊN", "0257 000 000", "VĂN PHÒNG")
    path.write_text("letterhead:\n  signer: Nguyễn Văn A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"letterhead\.signer: unknown key"):
        load_policy(path)


def _item(lead: str, cooperating: tuple[str, ...]) -> ItemState:
    return ItemState(7, "C.1.1", "task", "Việc", "C.1", lead, cooperating, date(2021, 4, 1), date(2021, 4, 1), ())


def test_each_body_hears_of_a_reminder_or_rung_once_in_its_own_letter(configuration: Configuration) -> None:
    item = _item("UBND", ("BTV", "DD_MTTQ"))
    reminder = Reminder(item, "deadline", date(2021, 4, 1), 7)
    rung = Rung(item, "deadline", date(2021, 4, 1), 2, 10, ("BTV",), ("UBND", "BCSD_UBND", "VPTU"), "BCSD_UBND")
    letters = plan([reminder], [rung], as_of=date(2021, 3, 23), policy=configuration.policy, registry=configuration.registry)
    seen = {body: sorted((p.key.split("@")[0].split(":")[0], p.role) for p in parts) for body, parts in letters.items()}
    assert seen == {
        "UBND": [("escalation", "lead"), ("reminder", "lead")],
        "BTV": [("escalation", "escalated"), ("reminder", "cooperating")],  # the ladder's part, not also the shared one
        "DD_MTTQ": [("escalation", "cooperating"), ("reminder", "cooperating")],
        "BCSD_UBND": [("escalation", "escalated")],
        "VPTU": [("escalation", "escalated")],
    }
    assert all(p.key == (reminder.key if p.kind == "reminder" else rung.key) + ("" if p.role == "lead" else f"@{body}")
               for body, parts in letters.items() for p in parts)
