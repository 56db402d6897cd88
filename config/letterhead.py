"""The letterhead and signature of the Office's letters: who writes, in whose name, whom to call.

Read from the ``letterhead`` section of ``policy.yaml`` (checked like the rest of the file, unknown
keys refused). The defaults are those of the bundled sample's province (Khánh Hòa), examples to
replace: a province that leaves them writes its letters under another province's name.

Each text a person reads has a Vietnamese value and, where the English letter needs its own
words, an ``_en`` value; a proper name (the signer, the contact) is the same in both.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from config.validation import Strict


@dataclass(frozen=True)
class Letterhead:
    """What the heading block, the reference, the contact and the signature of a letter say."""

    committee: str = "TỈNH ỦY KHÁNH HÒA"
    committee_en: str = "KHANH HOA PROVINCIAL PARTY COMMITTEE"
    office: str = "VĂN PHÒNG"
    office_en: str = "OFFICE"
    party: str = "ĐẢNG CỘNG SẢN VIỆT NAM"
    party_en: str = "COMMUNIST PARTY OF VIETNAM"
    number_suffix: str = "CV-VPTU"
    city: str = "Khánh Hòa"
    city_en: str = "Khanh Hoa"
    on_behalf: str = "T/L BAN THƯỜNG VỤ"
    on_behalf_en: str = "ON BEHALF OF THE STANDING COMMITTEE"
    signer_title: str = "CHÁNH VĂN PHÒNG"
    signer_title_en: str = "CHIEF OF THE OFFICE"
    signer_name: str = "Nguyễn Văn A"
    contact_name: str = "Trần Thị B, Phòng Tổng hợp"
    contact_phone: str = "0258 3822 000"
    contact_email: str = "tong-hop@khanhhoa.example.org"
    programme_number: str = "…-CTr/TU"
    programme_title: str = (
        "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII, nhiệm kỳ 2020 - 2025"
    )
    programme_title_en: str = (
        "Action programme implementing the Resolution of the 18th Provincial Party Congress, term 2020 - 2025"
    )

    def says(self, name: str, language: str) -> str:
        """The value of field ``name`` in ``language`` (its ``_en`` twin in English, if it has one)."""
        if language == "en" and hasattr(self, f"{name}_en"):
            return str(getattr(self, f"{name}_en"))
        return str(getattr(self, name))


_DEFAULT = Letterhead()


def _line(name: str) -> Any:
    """A one-line text field defaulting to the sample province's value."""
    return Field(getattr(_DEFAULT, name), min_length=1, max_length=200)


class LetterheadSection(Strict):
    """The ``letterhead`` section of policy.yaml; every key optional, each a line of text."""

    committee: str = _line("committee")
    committee_en: str = _line("committee_en")
    office: str = _line("office")
    office_en: str = _line("office_en")
    party: str = _line("party")
    party_en: str = _line("party_en")
    number_suffix: str = _line("number_suffix")
    city: str = _line("city")
    city_en: str = _line("city_en")
    on_behalf: str = _line("on_behalf")
    on_behalf_en: str = _line("on_behalf_en")
    signer_title: str = _line("signer_title")
    signer_title_en: str = _line("signer_title_en")
    signer_name: str = _line("signer_name")
    contact_name: str = _line("contact_name")
    contact_phone: str = _line("contact_phone")
    contact_email: str = _line("contact_email")
    programme_number: str = _line("programme_number")
    programme_title: str = Field(_DEFAULT.programme_title, min_length=1, max_length=400)
    programme_title_en: str = Field(_DEFAULT.programme_title_en, min_length=1, max_length=400)

    def letterhead(self) -> Letterhead:
        return Letterhead(**self.model_dump())
