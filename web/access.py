"""Who a request speaks for: the signed link's body, checked against its generation, and the
forms' CSRF tokens.

CSRF: each form carries ``csrf``, an HMAC-SHA256 (keyed with the link key) of the link token and
the form's action (``report``, ``extend`` or ``review<N>`` for round N). A page from another site cannot compute it without
the key, and a token of one link does not serve another link or the other form. No cookie is
used: the page is opened from a link in a letter, without a login, so there is no session to ride.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from config.settings import Settings
from models.db import Session
from models.links import link_generation
from notifications.links import Claim, LinkRefused, read_token, signing_key

STATUS = {"tampered": 403, "expired": 410, "revoked": 403, "csrf": 403, "other_body": 403,
          "unknown_item": 404, "not_found": 404, "method": 405, "closed": 409, "too_big": 413, "busy": 503,
          "unknown_round": 404, "not_asked": 404, "round_closed": 409}
"""The HTTP status of each refusal: an expired link is 410 Gone (it worked, and will not again);
a tampered or revoked link, a bad CSRF token or another body's item is 403 Forbidden; a closed
review round is 409 Conflict, as a done item is (the round is still there, and can be read, but
its state refuses answers)."""


class Refused(Exception):
    """The request is refused; ``reason`` is a key of :data:`STATUS` and of ``web.words``."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason, self.values = reason, values

    @property
    def status(self) -> int:
        return STATUS[self.reason]


@dataclass(frozen=True)
class Visitor:
    """The body a valid link speaks for, and the link itself (to rebuild URLs and CSRF tokens)."""

    token: str
    claim: Claim

    @property
    def body(self) -> str:
        return self.claim.body


def visitor(session: Session, token: str, *, settings: Settings, now: datetime, known: set[str]) -> Visitor:
    """Check the link: signature, last day, and the body's generation (``dondoc link revoke``).
    A body no longer in the registry is a tampered link (the Office never signed it for us)."""
    try:
        claim = read_token(token, settings=settings, now=now)
    except LinkRefused as refused:
        raise Refused(refused.reason) from None
    if claim.body not in known:
        raise Refused("tampered")
    if claim.generation != link_generation(session, body=claim.body):
        raise Refused("revoked")
    return Visitor(token, claim)


def csrf_token(settings: Settings, token: str, action: str) -> str:
    key = signing_key(settings).encode("utf-8")
    return hmac.new(key, f"csrf|{action}|{token}".encode(), hashlib.sha256).hexdigest()


def check_csrf(settings: Settings, token: str, action: str, given: Any) -> None:
    if not isinstance(given, str) or not hmac.compare_digest(given, csrf_token(settings, token, action)):
        raise Refused("csrf")
