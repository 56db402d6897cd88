"""``dondoc review answer`` says back the values it stored by each indicator's name and unit, in
the reader's marks ("Tốc độ tăng trưởng ... : 7,1 %"), not by its place in the list ("1: 7,1")."""

from pathlib import Path

from tests.acceptance.test_cli import ok

GRDP = "Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm"


def test_a_review_answer_by_command_names_each_value_it_stored(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    ok(tmp_path, "review", "open", "--kind", "midterm", "--due", "14/07/2023", "--as-of", "01/06/2023")
    said = ok(tmp_path, "review", "answer", "1", "B.II.1.1", "--status", "on_track", "--value", "1=1250,5",
              "--as-of", "02/06/2023")
    assert f"Giá trị đạt được: {GRDP}: 1.250,5 %" in said and "1: " not in said
    english = ok(tmp_path, "review", "answer", "1", "B.II.1.1", "--status", "on_track", "--value", "1=7,1",
                 "--as-of", "02/06/2023", env={"DONDOC_LANGUAGE": "en"})
    assert f"Values reached: {GRDP}: 7.1 %" in english
