"""The contracts of `EmailSender` and `WebhookSender`: the fakes and the real adapters (SMTP to
an aiosmtpd server, HTTP to a local receiver, both on loopback) behave alike as far as a use
case can tell: what is sent arrives whole and in order, and a failure is `DeliveryFailed`."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator, Sequence

import pytest
from attrs import frozen

from adapters.notify.smtp import REFERENCE_HEADER, SmtpEmailSender
from adapters.notify.webhook import HttpWebhookSender
from application.ports import (
    DeliveryFailed,
    EmailMessage,
    EmailSender,
    WebhookRequest,
    WebhookSender,
)
from domain.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, signature_header
from tests.fakes import FakeEmailSender, FakeWebhookSender
from tests.notification_builders import SECRET
from tests.services.smtp import SmtpServer, running_smtp
from tests.services.webhooks import WebhookReceiver, running_receiver

SENDER = "creditdesk@lender.example"


@frozen
class Email:
    """A sender, what arrived through it (to, subject, text, reference), and a sender of the
    same kind that cannot deliver."""

    sender: EmailSender
    arrived: Callable[[], list[tuple[str, str, str, str]]]
    failing: EmailSender


@frozen
class Webhook:
    """A sender, the URL to post to, what arrived (body, delivery header), and a failing one."""

    sender: WebhookSender
    url: str
    arrived: Callable[[], list[tuple[bytes, str]]]
    failing: WebhookSender


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fake_email(_request: pytest.FixtureRequest) -> Email:
    fake = FakeEmailSender()
    return Email(
        fake,
        lambda: [(m.to, m.subject, m.text, m.reference) for m in fake.sent],
        FakeEmailSender("the fake mail server is away"),
    )


def _smtp_email(request: pytest.FixtureRequest) -> Email:
    server: SmtpServer = request.getfixturevalue("smtp_server")

    def arrived() -> list[tuple[str, str, str, str]]:
        found = []
        for received in server.messages():
            mail = received.message
            text = mail.get_body(preferencelist=("plain",))
            assert text is not None
            content = str(text.get_content()).replace("\r\n", "\n").removesuffix("\n")
            found.append((mail["To"], mail["Subject"], content, mail[REFERENCE_HEADER]))
        return found

    return Email(
        SmtpEmailSender(server.host, server.port, SENDER),
        arrived,
        SmtpEmailSender(server.host, _closed_port(), SENDER, timeout=5),
    )


def _fake_webhook(_request: pytest.FixtureRequest) -> Webhook:
    fake = FakeWebhookSender()
    return Webhook(
        fake,
        "https://lender.example/hooks",
        lambda: [(c.body, c.headers[DELIVERY_HEADER]) for c in fake.posted],
        FakeWebhookSender("the fake endpoint is away"),
    )


def _http_webhook(request: pytest.FixtureRequest) -> Webhook:
    receiver: WebhookReceiver = request.getfixturevalue("webhook_receiver")
    return Webhook(
        HttpWebhookSender(allow_private_networks=True, timeout=5),
        receiver.url,
        lambda: [(c.body, c.headers[DELIVERY_HEADER.lower()]) for c in receiver.received()],
        HttpWebhookSender(
            allow_private_networks=True, timeout=5
        ),  # posted to a closed port by the test below
    )


_EMAIL = {"fake": _fake_email, "smtp": _smtp_email}
_WEBHOOK = {"fake": _fake_webhook, "http": _http_webhook}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    with running_receiver(SECRET) as receiver:
        yield receiver


@pytest.fixture(params=sorted(_EMAIL))
def email(request: pytest.FixtureRequest) -> Email:
    return _EMAIL[request.param](request)


@pytest.fixture(params=sorted(_WEBHOOK))
def webhook(request: pytest.FixtureRequest) -> Webhook:
    return _WEBHOOK[request.param](request)


def _message(n: int) -> EmailMessage:
    return EmailMessage(
        to=f"person-{n}@lender.example",
        subject=f"Case assigned to you: application app-{n}",
        text=f"The case entry-{n} for application app-{n} was assigned to you.",
        html=f"<p>The case entry-{n}</p>",
        reference=f"dlv-{n}",
    )


def _wait(arrived: Callable[[], Sequence[object]], count: int) -> None:
    deadline = time.monotonic() + 10
    while len(arrived()) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_emails_arrive_whole_and_in_the_order_sent(email: Email) -> None:
    email.sender.send(_message(1))
    email.sender.send(_message(2))
    _wait(email.arrived, 2)

    assert email.arrived() == [
        (m.to, m.subject, m.text, m.reference) for m in (_message(1), _message(2))
    ]


def test_an_email_that_cannot_be_sent_fails_as_such_and_arrives_nowhere(email: Email) -> None:
    with pytest.raises(DeliveryFailed):
        email.failing.send(_message(1))
    assert email.arrived() == []


def _call(url: str, n: int) -> WebhookRequest:
    body = f'{{"id":"dlv-{n}"}}'.encode()
    return WebhookRequest(
        url,
        body,
        {
            "Content-Type": "application/json",
            DELIVERY_HEADER: f"dlv-{n}",
            SIGNATURE_HEADER: signature_header(SECRET, int(time.time()), body),
        },
    )


def test_calls_arrive_whole_and_in_the_order_posted(webhook: Webhook) -> None:
    webhook.sender.post(_call(webhook.url, 1))
    webhook.sender.post(_call(webhook.url, 2))

    assert webhook.arrived() == [(b'{"id":"dlv-1"}', "dlv-1"), (b'{"id":"dlv-2"}', "dlv-2")]


def test_a_call_that_cannot_be_made_fails_as_such_and_arrives_nowhere(webhook: Webhook) -> None:
    with pytest.raises(DeliveryFailed):
        webhook.failing.post(_call(f"http://127.0.0.1:{_closed_port()}/hooks", 1))
    assert webhook.arrived() == []
