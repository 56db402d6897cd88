"""A fault in dondoc itself (a bug no command foresaw) reaches the user as one line that names it
and where its traceback was written, exit 70; never as a traceback on the terminal.

A bug cannot be made to happen with real parts once it is fixed, so the command that fails here
is one made for the test, run by the same :func:`workflows.cli.usage.run` as every dondoc command.
"""

from pathlib import Path

import pytest
import typer

from workflows.cli.usage import EX_SOFTWARE, run

faulty = typer.Typer()


@faulty.command()
def scan(name: str) -> None:
    """A command with a bug: a lookup that finds nothing."""
    known: list[str] = []
    next(n for n in known if n == name)  # StopIteration, as appendix_reader.py once raised


@faulty.command()
def other() -> None:
    raise RuntimeError("đọc bảng thất bại")


@pytest.mark.parametrize(("language", "words"), [("vi", "lỗi của dondoc"), ("en", "a fault in dondoc")])
def test_a_bug_is_one_line_naming_it_and_the_file_with_its_traceback(
    language: str, words: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DONDOC_LANGUAGE", language)
    assert run(faulty, ["scan", "PL1"]) == EX_SOFTWARE == 70
    out, err = capsys.readouterr()
    [line] = err.strip().splitlines()
    assert out == "" and line.startswith("dondoc: ") and words in line and "StopIteration" in line
    assert "Traceback" not in err
    report = Path(line.rsplit(" ", 1)[-1])
    assert "Traceback (most recent call last)" in report.read_text(encoding="utf-8")
    assert "next(n for n in known if n == name)" in report.read_text(encoding="utf-8")
    report.unlink()


def test_the_line_carries_the_error_s_own_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(faulty, ["other"]) == 70
    line = capsys.readouterr().err.strip()
    assert "RuntimeError: đọc bảng thất bại" in line
    Path(line.rsplit(" ", 1)[-1]).unlink()
