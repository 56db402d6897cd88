"""The review report (sơ kết, tổng kết) in its three formats: DOCX, XLSX and HTML.

:func:`render_report` is the one door: it picks the renderer by format and imports it only then,
so that sending an HTML report does not load python-docx or matplotlib.
"""

from notifications.review_report.model import ReviewReport

FORMATS = ("docx", "xlsx", "html")


def render_report(report: ReviewReport, fmt: str, language: str) -> bytes:
    """The report as the bytes of a ``fmt`` file (one of :data:`FORMATS`), in ``language``."""
    if fmt == "docx":
        from notifications.review_report.docx import render_docx

        return render_docx(report, language)
    if fmt == "xlsx":
        from notifications.review_report.xlsx import render_xlsx

        return render_xlsx(report, language)
    if fmt == "html":
        from notifications.review_report.html import render_html

        return render_html(report, language).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}")
