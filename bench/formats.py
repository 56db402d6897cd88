"""Reading a 200-page Word document and the PDF LibreOffice prints from it (issue 12, "Input formats").

Prints, for each, the time to read the file into text (format detection, python-docx or
PDFium, normalising), the time to parse that text, and the peak memory of reading and parsing
(``tracemalloc`` in a run of its own, since tracing slows it several times over, and the
process's resident size, which also counts what lxml and PDFium allocate). The document
repeats parts B to D of the bundled sample, one paragraph per block of the text, until it is about
200 pages long. The PDF is skipped when LibreOffice (``soffice``) is absent. Goal: under 2 s each.
"""

import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import docx

from config.loading import load_configuration
from config.settings import Settings
from workflows.orchestration.ingest import sample_path
from workflows.reading.markers import classify
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

PAGES = 200
COPIES = 11
"""Copies of parts B to D that make about 200 pages in Word's default layout (checked with ``pdfinfo``)."""
LIMIT = 10**9


def build_docx(path: Path, copies: int) -> None:
    """The sample's front matter, then parts B to D ``copies`` times, one paragraph per block of text."""
    text = read_document(sample_path(), max_bytes=LIMIT)
    blocks = list(paragraphs(text))
    start = next(i for i, block in enumerate(blocks) if block.startswith("B. "))
    end = next(i for i, block in enumerate(blocks) if block.startswith("T/M"))
    document = docx.Document()
    for block in [*blocks[:start], *blocks[start:end] * copies, *blocks[end:]]:
        document.add_paragraph(block)
    document.save(str(path))


def paragraphs(text: str) -> Iterator[str]:
    """The text's paragraphs as Word holds them: a block of lines up to a blank line or a marked line."""
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        wrapped = current and current[-1][-1] not in ".;:" and classify(line)[0] == "bullet"  # "2021" / "- 2025"
        if current and (not line or (classify(line)[0] != "prose" and not wrapped)):
            yield " ".join(current)
            current = []
        if line:
            current.append(line)


def print_pdf(source: Path, folder: Path) -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    command = [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=600)
    return folder / (source.stem + ".pdf")


def pages(pdf: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def measure(label: str, path: Path) -> None:
    """Best of three for the times; the peaks from a fourth run: Python's own allocations
    (``tracemalloc``) and the process's resident size, which also counts lxml's and PDFium's."""
    configuration = load_configuration(Settings(_env_file=None))
    read = parsed = float("inf")
    items = 0
    for _ in range(3):
        started = time.perf_counter()
        text = read_document(path, max_bytes=LIMIT)
        middle = time.perf_counter()
        programme = parse_programme(text, rules=configuration.rules, policy=configuration.policy)
        read, parsed = min(read, middle - started), min(parsed, time.perf_counter() - middle)
        items = len(programme.items)
    tracemalloc.start()
    parse_programme(read_document(path, max_bytes=LIMIT), rules=configuration.rules, policy=configuration.policy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(
        f"{label:<18} read {read * 1000:5.0f} ms  parse {parsed * 1000:5.0f} ms  total {(read + parsed) * 1000:5.0f} ms"
        f"  peak {peak / 1e6:5.1f} MB traced, {rss:4.0f} MB resident  {items} items, {path.stat().st_size / 1e6:.1f} MB file"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="dondoc-bench-formats-"))
    try:
        source = folder / "programme.docx"
        build_docx(source, COPIES)
        child("DOCX", source)
        pdf = print_pdf(source, folder)
        if pdf is None:
            print("PDF                skipped: LibreOffice (soffice) is not installed")
            return
        child(f"PDF, {pages(pdf)} pages", pdf)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def child(label: str, path: Path) -> None:
    """Measure in a fresh process, so that each resident size is that format's alone."""
    subprocess.run([sys.executable, __file__, label, str(path)], check=True, timeout=600)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        measure(sys.argv[1], Path(sys.argv[2]))
    else:
        main()
