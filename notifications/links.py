"""Signed links to a body's answer page: made here (the letters put one in each message), checked
by the page (``web/``).

A link is ``BASE_URL/b/TOKEN``. The token is signed with ``itsdangerous`` (an HMAC over the
payload and the time it was made, salted for this one use) and says three things: the body it
opens, the body's link generation when it was made (``models.links``: ``dondoc link revoke``
raises it, and the page refuses an older one) and the last day it works (Vietnam time; by default
``links.valid_days`` of the policy after the day it was made). The expiry is in the payload rather
than a ``max_age`` at reading, so that ``dondoc link BODY --expires DATE`` can choose it and a
replayed term (``--as-of``) can make and read links on its own days.

The key is ``DONDOC_SECRET_KEY`` or, when that is unset, ``secret.key`` in ``DONDOC_HOME``, made
on first use with 48 random bytes and readable by its owner only. The key is never printed.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature, URLSafeTimedSerializer

from config.errors import ConfigError
from config.policy import TIMEZONE, Policy
from config.settings import PLACEHOLDER_KEYS, Settings

SALT = "dondoc.answer-page.v1"
KEY_FILE = "secret.key"
MAX_TOKEN = 400
"""Longer than any token we make: a longer one is refused before any cryptography runs."""


class LinkRefused(Exception):
    """The link cannot be used; ``reason`` says why (for the refusal page and its HTTP status)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Claim:
    """What a valid token says."""

    body: str
    generation: int
    expires: date


def signing_key(settings: Settings) -> str:
    """The key that signs links: the setting, else the key file in ``home`` (made when missing)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().strip()
    return _key_file(settings.home / KEY_FILE)


def _key_file(path: Path) -> str:
    """Read the key file, or create it 0600 (its folder 0700) with a random key. A file that is
    readable by others, or holds a key too weak to sign with, is refused (exit 3)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as exc:
        raise ConfigError(f"cannot create the link key {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> str:
    try:
        if path.stat().st_mode & 0o077:
            raise ConfigError(f"the link key {path} is readable by others; chmod 600 it")
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the link key {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if len(key) < 32 or key.lower() in PLACEHOLDER_KEYS:
        raise ConfigError(f"the link key {path} is too weak (32 random characters or more); delete it to make a new one")
    return key


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(settings), salt=SALT)


def vietnam_day(now: datetime) -> date:
    if now.tzinfo is None:
        raise ValueError("naive datetime refused: pass an aware one")
    return now.astimezone(ZoneInfo(TIMEZONE)).date()


def make_token(body_code: str, *, settings: Settings, generation: int, expires: date) -> str:
    payload: dict[str, Any] = {"b": body_code, "g": generation, "x": expires.isoformat()}
    return str(_serializer(settings).dumps(payload))


def link_for(body_code: str, *, settings: Settings, policy: Policy, now: datetime, generation: int,
             expires: date | None = None) -> str:
    """The link to ``body_code``'s answer page, working until ``expires`` (by default
    ``policy.link_valid_days`` days after ``now``'s day in Vietnam). ``generation`` is the body's
    current one (``models.links.link_generation``)."""
    last = expires or vietnam_day(now) + timedelta(days=policy.link_valid_days)
    token = make_token(body_code, settings=settings, generation=generation, expires=last)
    return f"{settings.base_url}/b/{token}"


def read_token(token: str, *, settings: Settings, now: datetime) -> Claim:
    """What ``token`` says, once its signature is checked and its last day not past; raises
    :class:`LinkRefused` with reason ``tampered`` or ``expired``. The generation is checked
    against the database by the caller (``revoked``)."""
    if not token or len(token) > MAX_TOKEN:
        raise LinkRefused("tampered")
    try:
        payload = _serializer(settings).loads(token)
        claim = Claim(body=str(payload["b"]), generation=int(payload["g"]), expires=date.fromisoformat(payload["x"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("tampered") from None
    if vietnam_day(now) > claim.expires:
        raise LinkRefused("expired")
    return claim
