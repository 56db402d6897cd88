"""Delivery to a server that wants TLS and a login, as a province's mail server does: STARTTLS on
the submission port and implicit TLS, each with AUTH, against a real aiosmtpd server with a
certificate made for the test and trusted by the sender, and nothing else."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models.db import open_database
from notifications.dispatch import run
from notifications.mailers import SmtpMailer
from tests.integration.test_delivery import NOW, POLICY, queue, statuses
from tests.smtp_sink import Accounts, Certificate, Security, Sink, self_signed

USER, PASSWORD = "dondoc@khanhhoa.example.org", "mật-khẩu-đúng-7431"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_database(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["starttls", "tls"])
def secure_sink(request: pytest.FixtureRequest, certificate: Certificate) -> Iterator[tuple[Security, Sink, Accounts]]:
    security: Security = request.param
    accounts = Accounts({USER: PASSWORD})
    sink = Sink(security=security, certificate=certificate, accounts=accounts).start()
    yield security, sink, accounts
    sink.stop()


def secure_mailer(security: Security, port: int, certificate: Certificate, password: str) -> SmtpMailer:
    mailer = SmtpMailer(host="127.0.0.1", port=port, security=security, username=USER, password=password, timeout=5)
    mailer.tls_context = certificate.client_context()
    return mailer


def test_messages_go_over_tls_after_logging_in(
    engine: Engine, secure_sink: tuple[Security, Sink, Accounts], certificate: Certificate
) -> None:
    security, sink, accounts = secure_sink
    keys = queue(engine, 3)
    result = run(engine, secure_mailer(security, sink.port, certificate, PASSWORD), policy=POLICY, now=NOW)
    assert (result.sent, result.retrying, result.dead) == (3, 0, 0), result.errors
    # The server saw one login, for the right user, made over TLS (one connection for the batch)...
    assert [(a.user, a.accepted, a.tls) for a in accounts.attempts] == [(USER, True, True)]
    # ...and each message arrived once, over TLS, from the logged-in user
    assert sink.keys() == {k: 1 for k in keys}
    assert {(r.login, r.tls) for r in sink.received} == {(USER, True)}
    assert {s for s, _, _ in statuses(engine).values()} == {"sent"}


def test_a_wrong_password_fails_the_message_with_a_reply_that_does_not_give_the_password_away(
    engine: Engine, secure_sink: tuple[Security, Sink, Accounts], certificate: Certificate
) -> None:
    security, sink, accounts = secure_sink
    wrong = "mật-khẩu-sai-0000"
    queue(engine, 2)
    result = run(engine, secure_mailer(security, sink.port, certificate, wrong), policy=POLICY, now=NOW)
    assert (result.sent, result.dead) == (0, 2)
    # aiosmtplib tries each mechanism the server offers: every try was refused, for the user, over TLS
    assert accounts.attempts and {(a.user, a.accepted, a.tls) for a in accounts.attempts} == {(USER, False, True)}
    assert sink.received == []
    for status, attempts, error in statuses(engine).values():
        assert (status, attempts) == ("dead", 1)
        assert error is not None and "535" in error and USER in error  # says what failed, for whom
        assert wrong not in error and PASSWORD not in error
    assert not any(wrong in e for e in result.errors)


def test_a_server_certificate_the_sender_does_not_trust_is_refused_before_any_login(
    engine: Engine, secure_sink: tuple[Security, Sink, Accounts], tmp_path: Path
) -> None:
    security, sink, accounts = secure_sink
    queue(engine, 1)
    stranger = self_signed(tmp_path)  # the sender trusts another certificate, not the server's
    result = run(engine, secure_mailer(security, sink.port, stranger, PASSWORD), policy=POLICY, now=NOW)
    assert (result.sent, result.retrying) == (0, 1)
    assert accounts.attempts == [] and sink.received == []  # the password never went to that server
    status, _, error = statuses(engine)["test:0"]
    assert status == "pending" and error is not None and "cannot connect" in error
