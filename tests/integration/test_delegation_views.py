"""Delegation seen from the unit (issue 11's gaps 2 and 3): its console account and ``dondoc items``.

Given the bundled sample stored and UBND's task C.I.2.1.c.2 delegated to the Department of Finance
(STC, under UBND), which leads nothing in the sample:

- STC's console account opens the item's page (200, not 404), reads who gave it the item (without
  the delegation form, which is the lead's) and finds it in its ``/items`` list and its export;
  UBND's account still opens it, with the form; another body's account (BTG) still gets 404;
- ``dondoc items --body STC`` lists it, marked "UBND (giao: STC)", and ``--body UBND`` still lists it
  with the same mark (``delegated_to`` in JSON and CSV).
"""

import csv
import io
import json
import re
from pathlib import Path

from tests.integration.test_delegation import KEY, LEAD, OTHER, UNIT, World, _delegate, _plain, world
from workflows.orchestration.runtime import Runtime

__all__ = ["world"]  # the fixture, shared with the delegation tests


def test_the_units_console_account_sees_its_delegated_item_and_the_lead_still_does(world: World) -> None:
    from tests.web.consoling import Clock, add_users, console_client, sign_in

    w = world
    runtime = Runtime(w.settings, w.configuration, w.engine)
    add_users(runtime, {"stc": ("body", UNIT), "ubnd": ("body", LEAD), "btg": ("body", "BTG")})
    _delegate(w)
    with console_client(runtime, Clock()) as unit, console_client(runtime, Clock()) as lead, \
            console_client(runtime, Clock()) as other:
        sign_in(unit, "stc"), sign_in(lead, "ubnd"), sign_in(other, "btg")

        page = unit.get(f"/items/{KEY}")
        assert page.status_code == 200, page.status_code
        assert "Đang giao Sở Tài chính thực hiện" in _plain(page.text)
        assert f'action="/items/{KEY}/delegate"' not in page.text  # the lead's form, not the unit's
        assert unit.get(f"/items/{OTHER}").status_code == 404    # UBND's own item stays UBND's
        answer = re.search(r'<a href="http://[^/"]+(/b/[^"#]+)#([^"]+)">Báo cáo tiến độ mục này', page.text)
        assert answer is not None and answer.group(2) == KEY  # the unit answers on its own answer page
        answer_page = unit.get(answer.group(1))
        assert answer_page.status_code == 200 and f'id="{KEY}"' in answer_page.text

        listed = unit.get("/items")
        assert listed.status_code == 200 and f"/items/{KEY}" in listed.text and f"/items/{OTHER}" not in listed.text
        exported = unit.get("/items.csv")
        assert exported.status_code == 200
        keys = [row[0] for row in csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))][1:]
        assert keys == [KEY]

        mine = lead.get(f"/items/{KEY}")
        assert mine.status_code == 200 and f'action="/items/{KEY}/delegate"' in mine.text
        assert f"/items/{KEY}" in lead.get("/items").text
        assert other.get(f"/items/{KEY}").status_code == 404


def test_dondoc_items_lists_the_delegated_item_under_the_unit_and_the_lead(tmp_path: Path) -> None:
    from tests.acceptance.test_cli import ok

    ok(tmp_path, "ingest", "--sample")
    before = ok(tmp_path, "items", "--body", UNIT, "--format", "json")
    assert json.loads(before)["items"] == []
    ok(tmp_path, "delegate", KEY, UNIT, "--as-of", "01/03/2021")

    unit_rows = json.loads(ok(tmp_path, "items", "--body", UNIT, "--format", "json"))["items"]
    assert [(r["key"], r["lead"], r["delegated_to"]) for r in unit_rows] == [(KEY, LEAD, UNIT)]
    lead_rows = {r["key"]: r for r in json.loads(ok(tmp_path, "items", "--body", LEAD, "--format", "json"))["items"]}
    assert lead_rows[KEY]["delegated_to"] == UNIT and lead_rows[OTHER]["delegated_to"] is None

    table = ok(tmp_path, "items", "--body", UNIT)
    assert KEY in table and f"{LEAD} (giao: {UNIT})" in table
    assert f"{LEAD} (delegated to {UNIT})" in ok(tmp_path, "items", "--body", LEAD, env={"DONDOC_LANGUAGE": "en"})
    rows = list(csv.DictReader(io.StringIO(ok(tmp_path, "items", "--body", UNIT, "--format", "csv").lstrip("\ufeff"))))
    assert [(r["key"], r["delegated_to"]) for r in rows] == [(KEY, UNIT)]
