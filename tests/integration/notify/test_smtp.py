"""Email over SMTP against a real server (aiosmtpd on loopback): plain, STARTTLS with a login,
and every failure told without the recipient's address or the password."""

from __future__ import annotations

import socket

import pytest

from adapters.notify.smtp import REFERENCE_HEADER, SmtpEmailSender
from application.ports import DeliveryFailed, EmailMessage
from domain.credit.notices import Notice, template_of
from domain.notifications import render
from tests.services.smtp import HOST, running_smtp

pytestmark = pytest.mark.integration

SENDER = "creditdesk@lender.example"
RECIPIENT = "ana.markovic@lender.example"
PASSWORD = "s3cret-smtp-password"
CONTEXT = {
    "entry_id": "entry-1",
    "application_id": "app-1",
    "analyst_id": "user-ana",
    "assigned_by": "user-sen",
}


def _email(to: str = RECIPIENT) -> EmailMessage:
    rendered = render(template_of(Notice.CASE_ASSIGNED), CONTEXT)
    return EmailMessage(
        to=to, subject=rendered.subject, text=rendered.text, html=rendered.html, reference="dlv-7"
    )


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nobody listens


def test_an_email_arrives_with_text_html_and_its_delivery_reference() -> None:
    with running_smtp() as server:
        SmtpEmailSender(server.host, server.port, SENDER).send(_email())
        (received,) = server.wait_for(1)

    assert received.sender == SENDER
    assert received.recipients == (RECIPIENT,)
    mail = received.message
    assert mail["From"] == SENDER
    assert mail["To"] == RECIPIENT
    assert mail["Subject"] == "Case assigned to you: application app-1"
    assert mail[REFERENCE_HEADER] == "dlv-7"
    assert mail["Message-ID"].endswith("@lender.example>")
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "The case entry-1 for application app-1 was assigned to you" in text.get_content()
    assert "<p>The case entry-1 for application app-1" in html.get_content()


def test_with_starttls_the_login_and_the_message_go_over_tls() -> None:
    with running_smtp(tls=True, login=("creditdesk", PASSWORD)) as server:
        sender = SmtpEmailSender(
            server.host,
            server.port,
            SENDER,
            username="creditdesk",
            password=PASSWORD,
            starttls=True,
            tls_context=server.client_tls,
        )
        sender.send(_email())
        (received,) = server.wait_for(1)
    assert server.logins == ["creditdesk"]
    assert received.message["Subject"] == "Case assigned to you: application app-1"
    assert PASSWORD not in repr(sender)


def test_a_wrong_password_is_refused_without_showing_it() -> None:
    with running_smtp(tls=True, login=("creditdesk", PASSWORD)) as server:
        sender = SmtpEmailSender(
            server.host,
            server.port,
            SENDER,
            username="creditdesk",
            password="not-the-password",
            starttls=True,
            tls_context=server.client_tls,
        )
        with pytest.raises(DeliveryFailed, match=r"refused the login \(535\)") as failed:
            sender.send(_email())
        assert server.messages() == []
    assert "not-the-password" not in str(failed.value)
    assert failed.value.__cause__ is None


def test_a_server_that_does_not_trust_us_is_not_trusted_either() -> None:
    with running_smtp(tls=True) as server:
        # The default trust store does not know the server's self-signed certificate.
        sender = SmtpEmailSender(server.host, server.port, SENDER, starttls=True)
        with pytest.raises(DeliveryFailed, match="TLS with the SMTP server"):
            sender.send(_email())
        assert server.messages() == []


def test_starttls_asked_of_a_server_without_it_fails_rather_than_sending_in_clear() -> None:
    with running_smtp() as server:
        sender = SmtpEmailSender(server.host, server.port, SENDER, starttls=True)
        with pytest.raises(DeliveryFailed, match="does not offer STARTTLS"):
            sender.send(_email())
        assert server.messages() == []


def test_a_refused_recipient_is_reported_by_code_not_by_address() -> None:
    with running_smtp(refuse={RECIPIENT}) as server:
        with pytest.raises(DeliveryFailed, match=r"refused the recipient \(550\)") as failed:
            SmtpEmailSender(server.host, server.port, SENDER).send(_email())
        assert server.messages() == []
    assert RECIPIENT not in str(failed.value)
    assert "ana" not in str(failed.value)


def test_a_refused_connection_says_where() -> None:
    port = _closed_port()
    with pytest.raises(DeliveryFailed) as failed:
        SmtpEmailSender(HOST, port, SENDER, timeout=5).send(_email())
    assert str(failed.value) == f"the SMTP server at {HOST}:{port} refused the connection"


def test_a_login_without_tls_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="STARTTLS"):
        SmtpEmailSender(HOST, 25, SENDER, username="creditdesk", password=PASSWORD)
