"""Which format a document's bytes are in, and its text in the one shape the parser reads.

By content, not by name: an office renames files, mails a ``.doc`` that is really a ``.docx`` or
saves a PDF without extension. A Word document is a zip holding ``word/document.xml``, a PDF
starts with ``%PDF-``; anything else is text, read as Markdown when its name ends in ``.md`` or
when it has Markdown headings. Each reader returns raw text; the caller normalises it.
"""

from workflows.reading.formats.docx import docx_text, is_docx
from workflows.reading.formats.markdown import looks_like_markdown, markdown_text
from workflows.reading.formats.pdf import is_pdf, pdf_text

MARKDOWN_SUFFIXES = (".md", ".markdown")


def detect(data: bytes) -> str:
    """``docx``, ``pdf`` or ``text`` (Markdown is told from text only after decoding)."""
    if is_docx(data):
        return "docx"
    if is_pdf(data):
        return "pdf"
    return "text"


__all__ = ["MARKDOWN_SUFFIXES", "detect", "docx_text", "looks_like_markdown", "markdown_text", "pdf_text"]
