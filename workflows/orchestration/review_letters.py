"""A review round's request letters, written: the letter, its link and its XLSX form, as the
outbox row (MIME included) that ``workflows/orchestration/reviews.py`` queues.

Writing a letter is pure work on plain data (no database: the items, indicators and link
generations are read beforehand in a few queries, ``models/review_asked.py``): Jinja renders the
text and the HTML, the form is written (``notifications/xlsx_writer.py``), the MIME message is
built. A letter of 100 items costs some 15 ms of processor time, the MIME part about half of it.

Worker processes were tried (one per processor, started clean): on the 2-processor machine of
the benchmark, busy with other work, they were slower than writing here, so the letters are
written in this process, one after another, as a generator the caller stores in batches.
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.loading import Configuration
from config.policy import TIMEZONE
from config.settings import Settings
from models.outbox import Draft
from models.review_tables import ReviewRound
from notifications.links import link_for
from notifications.render import XLSX, Attachment, Email, to_draft
from notifications.review_form import FormItem, review_form_xlsx
from notifications.review_letter import request_email

Job = tuple[str, list[FormItem], int, Mapping[str, str]]
"""A letter to write: the body, the items it is asked about, its link generation, and the items
asked of it because a lead delegated them to it (key -> the lead's code)."""


def letter_moment(day: date) -> datetime:
    """The moment a letter of ``day`` is written: 07:00 in Vietnam (a replay's links and dates
    are those of its own days)."""
    return datetime.combine(day, time(7), ZoneInfo(TIMEZONE))


def request_letter(review: ReviewRound, body: str, items: list[FormItem], *, settings: Settings,
                   configuration: Configuration, generation: int, delegated_by: Mapping[str, str] | None = None) -> Email:
    """``body``'s request letter: its items (``delegated_by``: key -> the lead that delegated it to
    ``body``), its link (working until the round closes at the earliest; ``generation`` the body's
    link generation) and its form."""
    policy, registry, language = configuration.policy, configuration.registry, settings.language
    written = letter_moment(review.opened_on)
    last_day = max(review.opened_on + timedelta(days=policy.link_valid_days),
                   review.due + timedelta(days=policy.review_close_grace_days + 1))
    link = link_for(body, settings=settings, policy=policy, now=written, expires=last_day, generation=generation)
    known = registry.bodies.get(body)
    form = review_form_xlsx(round_id=review.id or 0, kind=review.kind, period_from=review.period_from,
                            period_to=review.period_to, due=review.due, body_code=body,
                            body_name=known.name(language) if known else body, items=items, language=language)
    attached = Attachment(f"phieu-bao-cao-dot-{review.id}-{body}.xlsx" if language != "en"
                          else f"review-{review.id}-{body}.xlsx", form, *XLSX)
    return request_email(review, body, items, key=f"review:{review.id}:{body}", registry=registry,
                         letterhead=policy.letterhead, top=policy.escalation_top, language=language,
                         answer_link=link, form=attached, delegated_by=delegated_by)


def write_requests(review: ReviewRound, jobs: Iterable[Job], *, settings: Settings,
                   configuration: Configuration) -> Iterator[Draft]:
    """The outbox rows of the letters of ``jobs``, in their order, one at a time."""
    for body, items, generation, delegated_by in jobs:
        letter = request_letter(review, body, items, settings=settings, configuration=configuration,
                                generation=generation, delegated_by=delegated_by)
        yield to_draft(letter, sender=settings.mail_from)
