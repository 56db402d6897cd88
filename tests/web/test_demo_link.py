"""``make run`` (``dondoc demo``) ends by telling the user how to open one body's answer page: start
``dondoc web``, open the link printed. The replayed days' letters carry links that expired on those
days, so the printed link is a fresh one, and it must open the body's page today."""

from pathlib import Path

from fastapi.testclient import TestClient

from config.settings import Settings
from tests.web.browsing import dondoc, user_env
from web.app import create_app
from workflows.orchestration.runtime import open_runtime


def _opens(home: Path, link: str, base: str) -> str:
    """The page the link opens on the application ``dondoc web`` serves (the real clock)."""
    runtime = open_runtime(Settings(_env_file=None, home=home, base_url=base))
    try:
        with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
            response = client.get(link.removeprefix(base))
            assert response.status_code == 200, response.text
            return response.text
    finally:
        runtime.engine.dispose()


def test_the_demo_ends_with_how_to_open_a_bodys_answer_page(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8765"
    home = tmp_path / "home"
    said = dondoc(user_env(home, base_url=base), "demo", "--days", "2").splitlines()
    assert said[-2] == ("Trang trả lời của các cơ quan: chạy dondoc web, rồi mở đường link dưới đây "
                        "(link trong thư của các ngày chạy lại đã hết hạn).")
    assert said[-1].startswith("Đường link của UBND, dùng đến hết ngày ")
    link = said[-1].rsplit(" ", 1)[1]
    assert link.startswith(f"{base}/b/")
    assert "Ủy ban nhân dân tỉnh" in _opens(home, link, base)

    english = dondoc(user_env(home, base_url=base, language="en"), "demo", "--days", "2").splitlines()
    assert english[-2].startswith("The bodies' answer page: run dondoc web, then open the link below")
    assert english[-1].startswith("Link for UBND, valid until ") and english[-1].rsplit(" ", 1)[1].startswith(f"{base}/b/")
