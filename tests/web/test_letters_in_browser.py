"""Each kind of letter dondoc sends, looked at in a real browser (issue 9, "Tests").

A real run in Vietnamese and one in English (``DONDOC_LANGUAGE=en``), each its own home: the sample
ingested, the daily chase of 23/06/2021, an extension asked for by UBND and approved the next day,
the weekly digest of 28/06/2021. The HTML part of UBND's chase letter, of the extension decision
and of the digest is opened in Debian's headless Chromium with every network request recorded and
refused: a letter must show the same to a reader whose mail client loads nothing from outside, so
none may ask for anything. Their key texts must be visible (the heading block, "Kính gửi", the item
keys), and nothing may be wider than the window on a phone (390 px) or a desktop client (900 px).
A screenshot per kind, language and width goes to ``$DONDOC_TEST_ARTIFACTS/letters`` (or tmp).
"""

import shutil
import sqlite3
from collections.abc import Iterator
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsing import artifacts_folder, chromium, dondoc, user_env
from workflows.orchestration.ingest import sample_path

pytestmark = pytest.mark.browser
LETTERS = {"chase": "chase:UBND:2021-06-23", "extension": "extension:1:approved", "digest": "digest:VPTU:2021-06-28"}
HEADING = {"vi": ["TỈNH ỦY KHÁNH HÒA", "VĂN PHÒNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "CV-VPTU", "Khánh Hòa, ngày 2", "V/v",
                  "Kính gửi", "Ủy ban nhân dân tỉnh", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Nơi nhận"],
           "en": ["KHANH HOA PROVINCIAL PARTY COMMITTEE", "COMMUNIST PARTY OF VIETNAM", "CV-VPTU", "Khanh Hoa, 2", "Re:",
                  "To:", "Provincial People's Committee", "CHIEF OF THE OFFICE"]}
EXPECTED = {
    ("chase", "vi"): [*HEADING["vi"], "C.I.2.1.c.2", "B.II.1.1", "Báo cáo tiến độ, đề nghị gia hạn"],
    ("chase", "en"): [*HEADING["en"], "C.I.2.1.c.2", "B.II.1.1"],
    ("extension", "vi"): [*HEADING["vi"], "C.I.2.1.c.2", "31/12/2021", "CHẤP THUẬN"],
    ("extension", "en"): [*HEADING["en"], "C.I.2.1.c.2", "31/12/2021", "APPROVED"],
    ("digest", "vi"): ["Kính gửi", "Văn phòng Tỉnh ủy", "28/06/2021", "C.I.2.1.c.2", "Ủy ban nhân dân tỉnh"],
    ("digest", "en"): ["To:", "Provincial Party Office", "28/06/2021", "C.I.2.1.c.2", "Provincial People's Committee"],
}


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The HTML part of each kind of letter, by (kind, language), as the outbox holds it to send."""
    found: dict[tuple[str, str], str] = {}
    ingested = tmp_path_factory.mktemp("ingested")
    dondoc(user_env(ingested), "ingest", str(sample_path()))  # once: a letter's language is chosen when it is written
    for lang in ("vi", "en"):
        home = tmp_path_factory.mktemp(f"letters-{lang}")
        shutil.copy(ingested / "dondoc.db", home / "dondoc.db")
        env = user_env(home, language=lang)
        dondoc(env, "chase", "--as-of", "23/06/2021")
        dondoc(env, "extend", "C.I.2.1.c.2", "--to", "31/12/2021", "--reason", "Chờ bố trí vốn", "--as-of", "23/06/2021")
        dondoc(env, "extension", "approve", "1", "--note", "Đồng ý", "--as-of", "24/06/2021")
        dondoc(env, "digest", "--as-of", "28/06/2021")
        with sqlite3.connect(home / "dondoc.db") as db:
            for kind, key in LETTERS.items():
                (raw,) = db.execute("SELECT raw FROM outbox WHERE key = ?", (key,)).fetchone()
                message = message_from_string(raw, policy=policy.default)
                assert isinstance(message, EmailMessage) and not message.defects
                html = message.get_body(("html",))
                assert html is not None, f"{key} has no HTML part"
                found[(kind, lang)] = str(html.get_content())
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize(("kind", "lang"), sorted(EXPECTED))
def test_a_letter_shows_its_text_without_fetching_anything_and_fits_a_phone(
    letters: dict[tuple[str, str], str], browser: Any, kind: str, lang: str, tmp_path: Path
) -> None:
    shots, html = artifacts_folder(tmp_path, "letters"), letters[(kind, lang)]
    for width in (390, 900):
        page = browser.new_page(viewport={"width": width, "height": 900})
        asked: list[str] = []
        page.on("request", lambda request, into=asked: into.append(request.url))
        page.route("**/*", lambda route: route.abort())  # a mail client that loads nothing from outside
        try:
            page.set_content(html, wait_until="load")
            shown = page.inner_text("body")
            missing = [t for t in EXPECTED[(kind, lang)] if t not in shown]
            assert not missing, f"{kind} ({lang}) does not show {missing}"
            wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert wide[0] <= wide[1], f"{kind} ({lang}) is {wide[0]} px wide in a {wide[1]} px window"
            page.screenshot(path=str(shots / f"{kind}-{lang}-{width}.png"), full_page=True)
        finally:
            page.close()
        assert asked == [], f"{kind} ({lang}) asks for {asked}"
