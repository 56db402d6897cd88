"""Rendering the pages: Jinja2 from the package's templates, autoescaped, no asset from outside."""

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from config.words import show_number, word
from web.words import text

HEADERS = {
    # the link's token is in the URL: never send it on as a Referer, never cache the page
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("web", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["t"] = text
    env.globals["word"] = word
    env.globals["number"] = show_number  # every number a person reads: number(x, lang)
    return env


def heading(policy: Any, language: str) -> dict[str, str]:
    """The heading block and the contact line from the policy's ``letterhead`` (the letters' own),
    or the Office's words when the policy has none."""
    head = getattr(policy, "letterhead", None)
    if head is None:
        return {"committee": "TỈNH ỦY KHÁNH HÒA", "office": "VĂN PHÒNG", "party": "ĐẢNG CỘNG SẢN VIỆT NAM", "contact": ""}
    contact = ", ".join(part for part in (head.contact_name, head.contact_phone, head.contact_email) if part)
    return {"committee": head.says("committee", language), "office": head.says("office", language),
            "party": head.says("party", language), "contact": contact}


def page(template: str, *, status: int = 200, language: str = "vi", policy: Any = None, **context: Any) -> HTMLResponse:
    body = environment().get_template(template).render(lang=language, head=heading(policy, language), **context)
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def refusal(reason: str, /, *, status: int, language: str, policy: Any = None, **values: Any) -> HTMLResponse:
    """The plain page that says, in the reader's language, why the request was refused."""
    return page("refused.html", status=status, language=language, policy=policy, message=text(reason, language, **values))
