"""The answer page in a real browser (issue 9, "Tests"): Debian's headless Chromium driven by
Playwright opens a link that ``dondoc link UBND`` printed, from a ``dondoc web`` started as a
user starts it, submits a report with an indicator value through the real form, and the database
holds it as done by UBND through its link. Screenshots of the page at phone and desktop widths go
to ``$DONDOC_TEST_ARTIFACTS`` when set, else to the test's temporary folder (never the repository).

Playwright's own browsers are never downloaded: the test launches ``chromium`` from the PATH.
Without it the test is skipped, unless ``DONDOC_REQUIRE_BROWSER`` is set (CI), where it fails.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.acceptance.test_cli import DONDOC
from workflows.orchestration.ingest import sample_path

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def browser_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("DONDOC_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed, and DONDOC_REQUIRE_BROWSER asks for the browser tests")
        pytest.skip("no chromium on the PATH")
    pytest.importorskip("playwright.sync_api")
    return CHROMIUM


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ["DONDOC_TEST_ARTIFACTS"]) / "answer-page" if os.environ.get("DONDOC_TEST_ARTIFACTS") else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[dict[str, str], str, Path]]:
    """``dondoc web`` on a free port with its own home and the sample programme ingested."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update({"DONDOC_HOME": str(tmp_path / "home"), "DONDOC_WEB_PORT": str(port),
                "DONDOC_BASE_URL": f"http://127.0.0.1:{port}"})
    ingest = subprocess.run([*DONDOC, "ingest", str(sample_path())], env=env, capture_output=True, text=True, timeout=180)
    assert ingest.returncode == 0, ingest.stderr
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen([*DONDOC, "web"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "web.log").read_text()
                assert time.monotonic() < deadline, "dondoc web did not start in 60 s"
                time.sleep(0.2)
        yield env, f"http://127.0.0.1:{port}", tmp_path / "web.log"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    server_log = (tmp_path / "web.log").read_text()
    assert "Traceback" not in server_log, server_log
    assert (tmp_path / "home" / "secret.key").read_text().strip() not in server_log


def test_a_body_reports_an_indicator_value_through_the_real_form(
    server: tuple[dict[str, str], str, Path], browser_path: str, artifacts: Path
) -> None:
    from playwright.sync_api import sync_playwright

    env, base, server_log = server
    made = subprocess.run([*DONDOC, "link", "UBND"], env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    link = made.stdout.strip()
    assert link.startswith(f"{base}/b/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(link)
            phone.screenshot(path=str(artifacts / "page-phone-390.png"))
            article = phone.locator("article", has=phone.locator("input[name=v0]")).first
            key = article.get_attribute("id")
            article.locator("summary", has_text="Báo cáo tiến độ").click()
            article.locator("select[name=status]").select_option("in_progress")
            article.locator("input[name=percent]").fill("60")
            article.locator("input[name=v0]").fill("6,8")
            article.locator("textarea[name=note]").fill("Sáu tháng đầu năm")
            article.screenshot(path=str(artifacts / "form-phone-390.png"))
            article.locator("button", has_text="Gửi báo cáo").click()
            phone.wait_for_load_state()
            assert f"Đã ghi nhận báo cáo tiến độ của mục {key}" in phone.content()
            phone.screenshot(path=str(artifacts / "confirmed-phone-390.png"))

            desktop = browser.new_page(viewport={"width": 1280, "height": 1000})
            desktop.goto(link)
            desktop.screenshot(path=str(artifacts / "page-desktop-1280.png"))
            refused = desktop.goto(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
            assert refused is not None and refused.status == 403 and "bị sửa" in desktop.content()
            desktop.screenshot(path=str(artifacts / "refused-desktop-1280.png"))
        finally:
            browser.close()
    engine = create_engine(f"sqlite:///{Path(env['DONDOC_HOME']) / 'dondoc.db'}")
    try:
        with engine.connect() as db:
            stored = db.execute(text('SELECT r.actor, r.percent, r."values" FROM progress_report r JOIN item i ON i.id = r.item_id '
                                     "WHERE i.key = :key"), {"key": key}).all()
    finally:
        engine.dispose()
    logged = server_log.read_text()
    assert "POST /b/…/report 303" in logged and link.rsplit("/", 1)[1] not in logged  # the token is a credential
    assert len(stored) == 1 and stored[0][0] == "link:UBND" and stored[0][1] == 60 and "6.8" in str(stored[0][2])
    assert sorted(p.name for p in artifacts.iterdir()) == sorted(
        ["page-phone-390.png", "form-phone-390.png", "confirmed-phone-390.png", "page-desktop-1280.png", "refused-desktop-1280.png"])
