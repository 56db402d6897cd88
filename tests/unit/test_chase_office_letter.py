"""The Office's own daily letter: the coordinator is the addressee, so it neither asks nor reports to itself."""

from datetime import date

import pytest

from config.loading import Configuration
from models.states import ItemState, Reminder, Rung
from notifications.chase_letter import chase_email
from workflows.orchestration.chase import plan


def _letters(configuration: Configuration, lead: str, language: str) -> dict[str, tuple[str, str]]:
    """Every body's letter of a day when ``lead`` has one item overdue (rung 2) and another coming."""
    overdue = ItemState(7, "C.1.1", "task", "Việc quá hạn", "C.1", lead, (), date(2021, 4, 1), date(2021, 4, 1), ())
    coming = ItemState(8, "C.1.2", "task", "Việc sắp đến hạn", "C.1", lead, (), date(2021, 4, 20), date(2021, 4, 20), ())
    registry = configuration.registry
    rung = Rung(overdue, "deadline", date(2021, 4, 1), 2, 10, ("BTV",), (lead, registry.coordinator), "")
    letters = plan([Reminder(coming, "deadline", date(2021, 4, 20), 5)], [rung], as_of=date(2021, 4, 15),
                   policy=configuration.policy, registry=registry)
    out = {}
    for body, parts in letters.items():
        email = chase_email(body, parts, key=f"chase:{body}", number=1, day=date(2021, 4, 15), registry=registry,
                            letterhead=configuration.policy.letterhead, titles={}, language=language)
        out[body] = (email.text, email.html or "")
    return out


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_offices_own_letter_does_not_ask_or_report_to_the_office(configuration: Configuration, language: str) -> None:
    registry = configuration.registry
    office = registry.bodies[registry.coordinator].name(language)
    letters = _letters(configuration, registry.coordinator, language)
    for text in letters[registry.coordinator]:
        if language == "vi":
            assert f"{office} đề nghị {office}" not in text and f"báo cáo để {office} biết" not in text
            assert f"các phòng, bộ phận của {office}" in text
            assert f"Báo cáo bằng văn bản gửi {office}" not in text
        else:
            assert f"The {office} asks the {office}" not in text and f"reports these to the {office}" not in text
            assert f"The divisions of the {office}" in text
            assert f"Report in writing to the {office}" not in text


def test_another_bodys_letter_is_still_asked_by_the_office(configuration: Configuration) -> None:
    registry = configuration.registry
    office = registry.bodies[registry.coordinator].name_vi
    letters = _letters(configuration, "UBND", "vi")
    text, _ = letters["UBND"]
    assert f"{office} đề nghị {registry.bodies['UBND'].name_vi} quan tâm chỉ đạo" in text
    text, _ = letters[registry.coordinator]  # the Office hears of UBND's overdue item on the ladder
    assert f"báo cáo để {office} biết" not in text and f"{office} tự theo dõi các nội dung quá hạn" in text
