"""``dondoc parse`` lists the bodies a document names that the registry lacks, and ``dondoc bodies
suggest FILE`` prints stanzas that, pasted at the end of bodies.yaml, load and make them known (issue 12)."""

import json
import shutil
from pathlib import Path

from config.bodies import load_registry
from tests.acceptance.test_cli import ok, run
from tests.unit.test_named_bodies import plain

BODIES = Path(__file__).parents[2] / "config" / "bodies.yaml"


def _document(folder: Path) -> Path:
    path = folder / "ke-hoach.txt"
    path.write_text(plain(), encoding="utf-8")
    return path


def test_parse_lists_the_names_the_registry_lacks(tmp_path: Path) -> None:
    document = _document(tmp_path)
    data = json.loads(ok(tmp_path, "parse", str(document), "--json"))
    assert data["unknown_bodies"] == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]
    item = next(i for i in data["items"] if i["key"] == "C.II.3")
    assert (item["source"], item["appendix"], item["lead_named"], item["cooperating_named"]) == (
        "body", None, "Ban Tổ chức Tỉnh ủy", ["Văn phòng Tỉnh ủy", "Sở Nội vụ"])
    assert {"issuer", "number", "issued_on"} <= set(data["document"])
    shown = ok(tmp_path, "parse", str(document))
    assert "chưa có (2)" in shown and "  - Sở Khoa học và Công nghệ\n  - Sở Nội vụ\n" in shown
    english = ok(tmp_path, "parse", str(document), env={"DONDOC_LANGUAGE": "en"})
    assert "the registry (bodies.yaml) lacks (2)" in english


def test_suggested_stanzas_pasted_into_bodies_yaml_load_and_name_the_leads(tmp_path: Path) -> None:
    document = _document(tmp_path)
    suggestion = ok(tmp_path, "bodies", "suggest", str(document))
    assert "  - code: SKHCN\n    name_vi: \"Sở Khoa học và Công nghệ\"\n" in suggestion
    assert "    kind: government" in suggestion and "escalates_to: UBND" in suggestion and "TODO" in suggestion
    pasted = tmp_path / "bodies.yaml"
    shutil.copy(BODIES, pasted)
    with pasted.open("a", encoding="utf-8") as handle:
        handle.write("\n" + suggestion)
    registry = load_registry(pasted)
    assert (registry.bodies["SKHCN"].name_vi, registry.bodies["SNV"].name_vi) == ("Sở Khoa học và Công nghệ", "Sở Nội vụ")
    env = {"DONDOC_BODIES_FILE": str(pasted)}
    data = json.loads(ok(tmp_path, "parse", str(document), "--json", env=env))
    assert data["unknown_bodies"] == []
    items = {i["key"]: i for i in data["items"]}
    assert (items["C.I.2.1"]["lead"], items["C.I.2.1"]["rule"]) == ("SKHCN", "named: block heading (Sở Khoa học và Công nghệ)")
    assert items["C.II.3"]["cooperating"] == ["VPTU", "SNV"]
    again = run(tmp_path, "bodies", "suggest", str(document), env=env)
    assert (again.returncode, again.stdout) == (0, "") and "knows every body" not in again.stderr
    assert "Danh mục đã có mọi cơ quan" in again.stderr


def test_bodies_still_lists_the_registry_and_suggest_refuses_a_missing_file(tmp_path: Path) -> None:
    listed = json.loads(ok(tmp_path, "bodies", "--json"))["bodies"]
    assert listed[0]["code"] == "BTV"
    missing = run(tmp_path, "bodies", "suggest", str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
