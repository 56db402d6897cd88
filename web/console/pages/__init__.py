"""The console's pages: importing this package adds their routes to ``web.console.auth.console_router``
(``web.console.routers`` imports it, then includes that router)."""

from fastapi import APIRouter

from web.console.pages import audit_page, bodies, item, items, overview, reviews  # noqa: F401  (they register routes)


def routers() -> list[APIRouter]:
    """No router of their own: the pages' routes are on ``console_router``."""
    return []
