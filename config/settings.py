"""Settings: ``DONDOC_*`` environment variables, then a settings file, then defaults.

The settings file is TOML (``dondoc.toml`` in ``DONDOC_HOME``, or the file named by
``DONDOC_SETTINGS_FILE``) with the same names in lower case and no prefix, for example
``database_url = "postgresql+psycopg://..."``. Built once at the entry point and passed in.
"""

import os
import stat
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from config import CONFIG_DIR
from config.errors import ConfigError
from config.words import has_error_words


def default_home() -> Path:
    """Where the embedded default keeps its database and mail: ``$XDG_DATA_HOME/dondoc``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dondoc"


def login_name() -> str:
    """Who is acting when ``DONDOC_ACTOR`` does not say: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def settings_file() -> Path:
    explicit = os.environ.get("DONDOC_SETTINGS_FILE")
    if explicit:
        return Path(explicit)
    home = os.environ.get("DONDOC_HOME")
    return (Path(home) if home else default_home()) / "dondoc.toml"


def _readable_settings_file() -> Path:
    """The settings file to read, checked first: one named by ``DONDOC_SETTINGS_FILE`` must
    exist (a typo in its name must not silently fall back to the defaults), and whichever it is
    must be a regular file (a FIFO would block the start for ever)."""
    path = settings_file()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if os.environ.get("DONDOC_SETTINGS_FILE"):
            raise ConfigError.of("settings_missing", path=path) from None
        return path
    except OSError as exc:
        raise ConfigError(f"settings file {path}: cannot read it ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"settings file {path}: not a regular file")
    return path


PLACEHOLDER_KEYS = frozenset({"", "changeme", "change-me", "change_me", "secret", "secret-key", "secret_key",
                              "secretkey", "password", "xxx", "dev", "test", "default", "dondoc", "example"})
"""Values of ``DONDOC_SECRET_KEY`` that are placeholders, whatever their length."""


class Settings(BaseSettings):
    """Everything dondoc can be told; see the README for each setting."""

    model_config = SettingsConfigDict(env_prefix="DONDOC_", extra="forbid")

    home: Path = Field(default_factory=default_home)
    database_url: str | None = None
    bodies_file: Path = CONFIG_DIR / "bodies.yaml"
    rules_file: Path = CONFIG_DIR / "rules.yaml"
    policy_file: Path = CONFIG_DIR / "policy.yaml"
    language: Literal["vi", "en"] = "vi"
    max_document_mb: int = Field(default=20, ge=1, le=2000)
    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout: float = Field(default=30.0, gt=0, le=600)
    smtp_allow_plain_login: bool = False
    """Log in to the SMTP server without TLS: the password goes out in clear; say so to allow it."""
    mail_from: str = "dondoc@khanhhoa.example.org"
    maildir: Path | None = None
    actor: str = Field(default_factory=login_name, min_length=1, max_length=120)
    """Who is acting, for the audit trail."""
    web_host: str = Field(default="127.0.0.1", min_length=1, max_length=253)
    """Where ``dondoc web`` listens (loopback by default: put a reverse proxy with TLS in front)."""
    web_port: int = Field(default=8000, ge=1, le=65535)
    base_url: str = "http://127.0.0.1:8000"
    """What the links in letters start with: the answer page as the bodies reach it."""
    secret_key: SecretStr | None = None
    """Signs the links; unset, a key is made in ``home`` (``secret.key``, 0600) on first use."""

    @field_validator("mail_from")
    @classmethod
    def _address(cls, value: str) -> str:
        """One address, with an optional display name ("Văn phòng <vp@...>"): a list would make
        a broken From header."""
        from email.utils import getaddresses

        from config.bodies import is_address

        found = getaddresses([value])
        if len(found) > 1:
            raise ValueError(f"{value!r} is {len(found)} addresses; give one (with a name if you like: Name <address>)")
        if not found or not is_address(found[0][1]) or "\n" in value or "\r" in value:
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("smtp_allow_plain_login")
    @classmethod
    def _no_clear_password(cls, value: bool, info: ValidationInfo) -> bool:
        """A login over a connection without TLS sends the password in clear (AUTH PLAIN): only
        when the user says they mean it. Checked at start (the defaults are validated too)."""
        if info.data.get("smtp_security") == "none" and info.data.get("smtp_username") and not value:
            raise ValueError("DONDOC_SMTP_SECURITY=none with a username would send the password in clear; "
                             "use starttls or tls, or set DONDOC_SMTP_ALLOW_PLAIN_LOGIN=true if you mean it")
        return value

    @field_validator("smtp_password")
    @classmethod
    def _real_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip().lower() in {"", "changeme", "password", "secret", "xxx"}:
            raise ValueError("is a placeholder; set the real password or leave it unset")
        return value

    @field_validator("base_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        """An http(s) address with a host, so that a link in a letter can be opened."""
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"{value!r} is not a web address; give http(s)://HOST[:PORT][/PATH]")
        return value.strip().rstrip("/")

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        """A key that signs links must be one nobody can guess: a placeholder or a short one is
        refused at start. The message never repeats the key."""
        if value is None:
            return value
        key = value.get_secret_value().strip()
        if key.lower() in PLACEHOLDER_KEYS or len(set(key)) < 2:
            raise ValueError("is a placeholder; set a random key of 32 characters or more, or leave it unset")
        if len(key) < 32:
            raise ValueError("is too short; give 32 characters or more (python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        """A URL SQLAlchemy can read, for SQLite or PostgreSQL, with a driver it knows and a port
        that can be: checked at start, so that a typo is a settings error and not a traceback
        from deep inside the engine. The message never repeats the URL (it may hold a password)."""
        if value is None:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as exc:
            problem = "its port is not a number" if "int()" in str(exc) else "not a database URL"
            raise ValueError(f"{problem}; give sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(f"{url.drivername!r} is not supported; use a sqlite:/// or postgresql+psycopg:// URL")
        try:
            url.get_dialect()
        except NoSuchModuleError:
            raise ValueError(f"{url.drivername!r}: no such database driver; use sqlite:/// or postgresql+psycopg://") from None
        if url.port is not None and not 1 <= url.port <= 65535:
            raise ValueError(f"port {url.port} is not a port number (1 to 65535)")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_readable_settings_file())
        return init_settings, env_settings, toml

    @property
    def url(self) -> str:
        """The database URL: the setting, else a SQLite file in ``home``."""
        return self.database_url or f"sqlite:///{self.home / 'dondoc.db'}"

    @property
    def maildir_path(self) -> Path:
        """Where mail goes when no SMTP server is configured."""
        return self.maildir or self.home / "Maildir"

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or {"none": 25, "starttls": 587, "tls": 465}[self.smtp_security]

    @property
    def max_document_bytes(self) -> int:
        return self.max_document_mb * 1_000_000


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning a wrong value into one line that names the setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "literal_error":  # a choice (language, SMTP security): never a secret
            expected = str(error.get("ctx", {}).get("expected"))
            raise ConfigError.of("setting_choice", name=name.upper(), value=error["input"], expected=expected,
                                 expected_vi=expected.replace(" or ", " hoặc ")) from None
        if has_error_words(f"setting_{error['type']}"):  # a number out of range, not a number: said in either language
            raise ConfigError.of(f"setting_{error['type']}", name=name.upper(), value=error["input"],
                                 **error.get("ctx", {})) from None
        raise ConfigError.of("setting", name=name.upper(), message=message) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"settings file {settings_file()}: {exc}") from None
