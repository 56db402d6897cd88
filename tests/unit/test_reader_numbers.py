"""Numbers, comparators and refusals as a person reads them, Vietnamese first: a decimal comma and
a dot between thousands in Vietnamese ("7,5", "1.250"), the point in English; one vocabulary of
comparators; a refusal of the lower floors (an unknown item, body or setting) in the reader's
language on the command line."""

from datetime import UTC, date, datetime

import pytest
import typer

from config.errors import ConfigError, NotFoundError
from config.loading import Configuration
from config.settings import load_settings
from config.words import comparator_sign, show_number, show_value, target_phrase
from models.review_tables import ReviewRound
from models.reviews import BodyProgress
from notifications.review_form import FormIndicator
from notifications.review_letter import report_email, target_text
from workflows.cli.app import fail


@pytest.mark.parametrize(("value", "vi", "en"), [
    (7.5, "7,5", "7.5"), (1250, "1.250", "1,250"), (1250.5, "1.250,5", "1,250.5"), (100_000, "100.000", "100,000"),
    (0.000001, "0,000001", "0.000001"), (-0.0000001, "0", "0"), (1_500_000.25, "1.500.000,25", "1,500,000.25"), (0, "0", "0"),
])
def test_a_number_is_written_with_the_readers_marks(value: float, vi: str, en: str) -> None:
    assert show_number(value, "vi") == vi and show_number(value, "en") == en


def test_an_indicator_value_is_said_by_its_name_and_unit() -> None:
    assert show_value("Tốc độ tăng trưởng GRDP", 7.1, "%", "vi") == "Tốc độ tăng trưởng GRDP: 7,1 %"
    assert show_value("GRDP growth", 7.1, "%", "en") == "GRDP growth: 7.1 %"
    assert show_value("Số xã", 12, None, "vi") == "Số xã: 12"


def test_one_vocabulary_names_the_comparators_for_the_letter_the_form_and_the_page() -> None:
    assert comparator_sign("at_least") == "≥" and comparator_sign("times_baseline") == "×" and comparator_sign("odd") == ""
    assert target_phrase("at_least", "vi") == "từ {v} {u} trở lên" and target_phrase("odd", "en") == "{v} {u}"
    grdp = FormIndicator(1, "GRDP", "%", 1250.5, "at_least", None, 2025)
    assert target_text(grdp, "vi") == "từ 1.250,5 % trở lên (2025)" and target_text(grdp, "en") == "at least 1,250.5 % (2025)"


def _round() -> ReviewRound:
    return ReviewRound(id=3, document_id=1, kind="midterm", period_from=date(2021, 1, 1), period_to=date(2023, 6, 1),
                       due=date(2023, 7, 14), status="closed", opened_by="BTV", opened_on=date(2023, 6, 1),
                       opened_at=datetime(2023, 6, 1, tzinfo=UTC), closed_by="VPTU", closed_on=date(2023, 7, 20))


@pytest.mark.parametrize(("language", "asked", "answered", "missing"), [
    ("vi", "1.250", "1.000", "250"), ("en", "1,250", "1,000", "250"),
])
def test_the_closing_letter_writes_its_counts_with_the_readers_marks(
    configuration: Configuration, language: str, asked: str, answered: str, missing: str,
) -> None:
    letter = report_email(_round(), [BodyProgress("UBND", 1250, 1000, 20), BodyProgress("BTC", 2, 0, 0)], key="t",
                          registry=configuration.registry, letterhead=configuration.policy.letterhead, top="BTV",
                          language=language)
    for part in (letter.text, letter.html):
        assert f"{asked} / {answered} / 20 / {missing}" in part or f">{asked}</td>" in part
        assert "1250" not in part and ("1.250" not in part if language == "en" else "1,250" not in part)
    assert f"{asked} / {answered} / 20 / {missing}" in letter.text


def test_a_refusal_of_the_lower_floors_is_said_in_the_readers_language(capsys: pytest.CaptureFixture[str]) -> None:
    error = NotFoundError.of("no_item", key="Z.9", document="ctr")
    assert str(error) == "no item 'Z.9' in ctr; 'dondoc items' lists the keys"  # the English stays its text, for logs
    for language, said in (("vi", "dondoc: lỗi: không có mục 'Z.9' trong ctr"), ("en", "dondoc: error: no item 'Z.9' in ctr")):
        with pytest.raises(typer.Exit) as leaving:
            fail(error, language)
        assert leaving.value.exit_code == 4 and capsys.readouterr().err.startswith(said)


def test_an_unknown_body_and_a_wrong_setting_are_said_in_vietnamese(configuration: Configuration,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as unknown:
        configuration.registry.resolve("XYZ")
    assert unknown.value.say("vi").startswith("không có cơ quan 'XYZ'; các cơ quan là: ")
    assert unknown.value.say("en").startswith("unknown body 'XYZ'; the bodies are: ")
    monkeypatch.setenv("DONDOC_SMTP_PORT", "99999")
    with pytest.raises(ConfigError) as wrong:
        load_settings(_env_file=None)
    assert wrong.value.say("vi") == "thiết lập DONDOC_SMTP_PORT: '99999' lớn quá; tối đa 65535"
    assert wrong.value.say("en") == "setting DONDOC_SMTP_PORT: '99999' is too large; at most 65535"
    monkeypatch.setenv("DONDOC_SMTP_PORT", "25")
    monkeypatch.setenv("DONDOC_LANGUAGE", "fr")
    with pytest.raises(ConfigError) as choice:
        load_settings(_env_file=None)
    assert choice.value.say("vi") == "thiết lập DONDOC_LANGUAGE: không dùng được 'fr'; chọn 'vi' hoặc 'en'"
