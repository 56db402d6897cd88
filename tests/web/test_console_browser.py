"""The console in a real headless Chromium (Debian's, driven by Playwright), served by uvicorn on
loopback: a coordinator signs in, filters to one body's overdue items, opens one, exports the
list to Excel and reads it back; the Standing Committee opens a mid-term round, its request
letters reach a real SMTP server, closes it and downloads the DOCX report. Every page is
screenshotted (``DONDOC_TEST_ARTIFACTS``, else the test's folder)."""

import io
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from config.loading import Configuration
from notifications.dispatch import make_mailer, run
from tests.smtp_sink import Sink, free_port
from tests.web.browsing import artifacts_folder, chromium
from tests.web.console_data import NOW, PASSWORD, build, expected
from web.app import create_app
from workflows.orchestration.runtime import Runtime

pytestmark = pytest.mark.browser


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, clock=lambda: NOW), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the console did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def sign_in(page: Any, base: str, login: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")


def test_coordinator_and_standing_committee_in_chromium(tmp_path: Path, configuration: Configuration) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    sink = Sink().start()
    shots = artifacts_folder(tmp_path, "console")
    runtime = build(f"sqlite:///{tmp_path / 'dondoc.db'}", tmp_path, configuration, smtp_host="127.0.0.1",
                    smtp_port=sink.port, smtp_security="none")
    rows = expected(runtime, configuration)
    overdue_ubnd = [r["key"] for r in rows if r["lead"] == "UBND" and r["status"] == "not_done_overdue"]
    try:
        with serving(runtime) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            sign_in(page, base, "coord")
            page.screenshot(path=str(shots / "overview.png"), full_page=True)
            page.goto(f"{base}/items")
            page.select_option("select[name=body]", "UBND")
            page.check("input[name=overdue]")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**/items?**overdue=1**")
            page.screenshot(path=str(shots / "items-ubnd-overdue.png"), full_page=True)
            shown = page.locator("tr[data-key]").evaluate_all("rows => rows.map(r => r.dataset.key)")
            assert f"{len(overdue_ubnd)} mục" in page.inner_text("#found")
            assert shown == overdue_ubnd[: len(shown)] and len(shown) == min(50, len(overdue_ubnd))
            with page.expect_download() as download:
                page.click("#export-xlsx")
            book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
            sheet = book.active
            assert sheet is not None
            assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == overdue_ubnd
            page.click(f"tr[data-key='{shown[0]}'] a")
            page.wait_for_url(f"**/items/{shown[0]}")
            assert "chưa hoàn thành, quá hạn" in page.inner_text("h1")
            page.screenshot(path=str(shots / "item.png"), full_page=True)
            page.goto(f"{base}/bodies/UBND")
            page.screenshot(path=str(shots / "body.png"), full_page=True)
            page.goto(f"{base}/audit")
            page.screenshot(path=str(shots / "audit.png"), full_page=True)
            page.context.clear_cookies()

            sign_in(page, base, "standing")
            page.goto(f"{base}/reviews")
            page.select_option("select[name=kind]", "midterm")
            page.fill("input[name=period_from]", "01/01/2021")
            page.fill("input[name=period_to]", "31/12/2025")
            page.fill("input[name=due]", "30/01/2026")
            page.screenshot(path=str(shots / "reviews.png"), full_page=True)
            page.click("#open-round button[type=submit]")
            page.wait_for_url("**/reviews/1?**")
            page.screenshot(path=str(shots / "review-open.png"), full_page=True)
            with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread; dispatch gets its own
                sent = pool.submit(run, runtime.engine, make_mailer(runtime.settings), policy=configuration.policy).result()
            asked = {a for r in sink.received for a in r.recipients}
            assert sent.sent == len(sink.received) >= 1 and "ubnd@khanhhoa.example.org" in asked, asked
            page.click("#close-round")
            page.wait_for_url("**/reviews/1?closed=1")
            assert page.inner_text("#round-status") == "đã đóng"
            page.screenshot(path=str(shots / "review-closed.png"), full_page=True)
            with page.expect_download() as report:
                page.click("#report-docx")
            assert Path(report.value.path()).read_bytes()[:2] == b"PK"
            browser.close()
    finally:
        sink.stop()
        runtime.engine.dispose()
