"""From the letter to the page and back (issue 9, "Tests"), as the People's Committee's clerk lives it.

The daily chase of 23/06/2021 (seven days before the half-yearly reporting date) writes UBND a
letter that asks for its progress reports; ``dondoc outbox dispatch`` delivers it to a real SMTP
server on loopback; the link is taken out of the delivered letter, opened in Debian's headless
Chromium, and a report with an indicator value goes in through the real form. The chase of the
following days, up to 29/06 (the next reminder offset, which would have asked again), then asks
UBND for its other reports but no longer for that one; the database holds the report as made by
UBND through its link. A tampered link, an expired one, and UBND's link used on another body's
item are refused with their status and a Vietnamese page. Screenshots go to
``$DONDOC_TEST_ARTIFACTS/letter-to-page`` (or the test's temporary folder).
"""

import re
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from config.settings import Settings
from notifications.links import link_for
from tests.smtp_sink import Sink
from tests.web.browsing import answer_page, artifacts_folder, chromium, dondoc, free_port, user_env
from workflows.orchestration.ingest import sample_path
from workflows.orchestration.runtime import open_runtime

pytestmark = pytest.mark.browser
FIRST, ASKED_AGAIN = date(2021, 6, 23), date(2021, 6, 29)
"""Offsets 30, 7, 1 and 0 days before 30/06/2021: 23/06 asks for the reports, 29/06 asks again."""
CLERK_TIME = datetime(2021, 6, 23, 10, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
REPORTS = "BÁO CÁO TIẾN ĐỘ ĐẾN KỲ"


def _letters(sink: Sink, body: str) -> dict[date, EmailMessage]:
    """``body``'s chase letters delivered to the sink, by day, read as a mail client reads them."""
    found: dict[date, EmailMessage] = {}
    for received in sink.received:
        parts = received.key.split(":")
        if parts[:2] == ["chase", body]:
            message = message_from_bytes(received.message.as_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage) and not message.defects
            found[date.fromisoformat(parts[2])] = message
    return found


def _text(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert isinstance(part, EmailMessage), f"no {kind} part"
    return str(part.get_content())


def asked_reports(message: EmailMessage) -> list[str]:
    """The item keys of the letter's section of progress reports due (the plain part, in order)."""
    keys: list[str] = []
    inside = False
    for line in _text(message, "plain").splitlines():
        if re.match(r"^\d+\. ", line):
            inside = REPORTS in line
        elif inside and (found := re.match(r"^\s+\d+\) (\S+) - ", line)):
            keys.append(found.group(1))
    return keys


def _link(message: EmailMessage, base: str) -> str:
    """The answer page's link: the one in the HTML part, also written out in the plain part."""
    pattern = re.escape(base) + r"/b/[A-Za-z0-9_.\-]+"
    in_html = set(re.findall(pattern, _text(message, "html")))
    assert len(in_html) == 1, in_html
    (link,) = in_html
    assert link in re.findall(pattern, _text(message, "plain"))
    return str(link)


def _reports(home: Path, key: str) -> list[tuple[str, int, str]]:
    engine = create_engine(f"sqlite:///{home / 'dondoc.db'}")
    try:
        with engine.connect() as db:
            rows = db.execute(text('SELECT r.actor, r.percent, r."values" FROM progress_report r JOIN item i ON i.id = r.item_id '
                                   "WHERE i.key = :key"), {"key": key}).all()
    finally:
        engine.dispose()
    return [(str(a), int(p), str(v)) for a, p, v in rows]


def test_a_report_sent_from_the_letters_link_stops_the_next_letter_asking_for_it(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    browser_path, shots = chromium(), artifacts_folder(tmp_path, "letter-to-page")
    home, port, sink = tmp_path / "home", free_port(), Sink().start()
    base = f"http://127.0.0.1:{port}"
    env = user_env(home, smtp_host="127.0.0.1", smtp_port=str(sink.port), smtp_security="none", base_url=base)
    try:
        # Given the sample ingested, the chase of 23/06/2021 delivered
        dondoc(env, "ingest", str(sample_path()))
        dondoc(env, "chase", "--as-of", FIRST.strftime("%d/%m/%Y"))
        dondoc(env, "outbox", "dispatch")
        letter = _letters(sink, "UBND")[FIRST]
        assert "ubnd@khanhhoa.example.org" in str(letter["To"])
        asked, link = asked_reports(letter), _link(letter, base)
        others = _letters(sink, "BTC")[FIRST]
        elsewhere = asked_reports(others)[0]  # another body's item, none of UBND's business
        assert asked and elsewhere not in asked

        with answer_page(home, port, CLERK_TIME), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 390, "height": 844})
                opened = page.goto(link)
                assert opened is not None and opened.status == 200
                page.screenshot(path=str(shots / "page-from-letter-390.png"))
                # When the clerk reports, with an indicator value, on the first item the letter asked about that has one
                key = next(k for k in asked if page.locator(f'article[id="{k}"] input[name=v0]').count())
                article = page.locator(f'article[id="{key}"]')
                article.locator("summary", has_text="Báo cáo tiến độ").click()
                article.locator("select[name=status]").select_option("in_progress")
                article.locator("input[name=percent]").fill("40")
                article.locator("input[name=v0]").fill("7,2")
                article.locator("textarea[name=note]").fill("Sáu tháng đầu năm 2021")
                article.screenshot(path=str(shots / "form-390.png"))
                article.locator("button", has_text="Gửi báo cáo").click()
                page.wait_for_load_state()
                assert f"Đã ghi nhận báo cáo tiến độ của mục {key}" in page.content()
                page.screenshot(path=str(shots / "confirmed-390.png"))

                # A link with one character changed, one past its last day, and UBND's link on BTC's item: refused
                token = link.rsplit("/", 1)[1]
                at = len(token) // 4  # inside the signed payload, not in the signature's padding bits
                tampered = f"{base}/b/{token[:at]}{'B' if token[at] != 'B' else 'C'}{token[at + 1:]}"
                refused = page.goto(tampered)
                assert refused is not None and refused.status == 403
                assert page.locator("html").get_attribute("lang") == "vi" and "bị sửa" in page.content()
                page.screenshot(path=str(shots / "refused-tampered-390.png"))

                runtime = open_runtime(Settings(_env_file=None, home=home, base_url=base))
                try:
                    old = link_for("UBND", settings=runtime.settings, policy=runtime.configuration.policy, generation=0,
                                   now=CLERK_TIME - timedelta(days=runtime.configuration.policy.link_valid_days + 1))
                finally:
                    runtime.engine.dispose()
                expired = page.goto(old)
                assert expired is not None and expired.status == 410 and "hết hạn" in page.content()
                page.screenshot(path=str(shots / "refused-expired-390.png"))

                page.goto(link)
                form = page.locator(f'article[id="{key}"] form[action$="/report"]')
                hidden = {name: str(form.locator(f"input[name={name}]").get_attribute("value")) for name in ("csrf", "document")}
                form.locator("input[name=key]").evaluate("(input, key) => { input.value = key; }", elsewhere)
                with page.expect_navigation():
                    form.evaluate("form => form.submit()")
                assert f"Mục {elsewhere} không được giao cho cơ quan của đồng chí" in page.content()
                page.screenshot(path=str(shots / "refused-other-body-390.png"))
                posted = page.request.post(f"{link}/report", max_redirects=0,
                                           form={**hidden, "key": elsewhere, "status": "in_progress", "percent": "10"})
                assert posted.status == 403 and "không được giao" in posted.text()
            finally:
                browser.close()

        # Then the days up to 29/06 ask UBND for its other reports, never again for that one
        day = FIRST
        while day < ASKED_AGAIN:
            day += timedelta(days=1)
            dondoc(env, "chase", "--as-of", day.strftime("%d/%m/%Y"))
        dondoc(env, "outbox", "dispatch")
        later = {d: m for d, m in _letters(sink, "UBND").items() if d > FIRST}
        assert ASKED_AGAIN in later
        again = asked_reports(later[ASKED_AGAIN])
        assert key not in again and set(again) == set(asked) - {key}
        for message in later.values():
            assert key not in _text(message, "plain") and f">{key}<" not in _text(message, "html")
        assert key in asked_reports(_letters(sink, "UBND")[FIRST])
        stored = _reports(home, key)
        assert len(stored) == 1 and stored[0][:2] == ("link:UBND", 40) and "7.2" in stored[0][2]
        assert not _reports(home, elsewhere)
    finally:
        sink.stop()
    assert sorted(p.name for p in shots.iterdir()) == sorted([
        "page-from-letter-390.png", "form-390.png", "confirmed-390.png", "refused-tampered-390.png",
        "refused-expired-390.png", "refused-other-body-390.png"])
