"""Domain errors.

Every failure a user can cause (a bad document, a wrong setting, an unknown body) is raised as a
subclass of :class:`DondocError`. The command line turns one into a single readable line and the
exit code named on the class; a traceback is therefore always a bug.
"""


from typing import Self

from config.words import error_words


class DondocError(Exception):
    """dondoc could not do what was asked."""

    exit_code = 1

    def __init__(self, message: str | None = None, *, said: tuple[str, str] | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        self.said = said

    @classmethod
    def of(cls, key: str, /, **values: object) -> Self:
        """The error ``key`` of the vocabulary (``config.words.error_words``), in both languages:
        the English is its text (logs, tracebacks), :meth:`say` gives the reader's."""
        vi, en = error_words(key, **values)
        return cls(en, said=(vi, en))

    def say(self, language: str = "vi") -> str:
        """What a person reads: Vietnamese first, English with ``DONDOC_LANGUAGE=en``; an error
        raised with one text only says that text."""
        if self.said is None:
            return str(self)
        return self.said[1] if language == "en" else self.said[0]


class DocumentError(DondocError):
    """The document cannot be read as an action programme."""

    exit_code = 2


class ConfigError(DondocError):
    """A setting or a configuration file is wrong."""

    exit_code = 3


class NotFoundError(DondocError):
    """No such thing is stored."""

    exit_code = 4


class StorageError(DondocError):
    """The database refused the operation."""

    exit_code = 5


class ConflictError(DondocError):
    """The request contradicts what is stored."""

    exit_code = 6
