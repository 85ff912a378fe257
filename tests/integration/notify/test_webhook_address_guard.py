"""Webhook calls reach public addresses only, unless private networks are allowed: an endpoint
URL typed in by a tenant admin must not become a way into the host's own network."""

from __future__ import annotations

import time

import pytest

from adapters.notify.webhook import NOT_PUBLIC, HttpWebhookSender, is_public
from application.ports import DeliveryFailed, WebhookRequest
from domain.webhooks import SIGNATURE_HEADER, signature_header
from tests.notification_builders import SECRET
from tests.services.webhooks import running_receiver

pytestmark = pytest.mark.integration

BODY = b'{"event":"application.decided"}'


def _request(url: str) -> WebhookRequest:
    return WebhookRequest(
        url, BODY, {SIGNATURE_HEADER: signature_header(SECRET, int(time.time()), BODY)}
    )


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104 - an address under test, nothing binds it
        ("224.0.0.1", False),
        ("::1", False),
        ("fc00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:127.0.0.1", False),  # loopback dressed as IPv6
        ("::ffff:8.8.8.8", True),
    ],
)
def test_only_global_unicast_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_endpoint_is_refused_before_a_byte_is_sent(host: str) -> None:
    with running_receiver(SECRET) as receiver:
        url = receiver.url.replace("127.0.0.1", host)
        with pytest.raises(DeliveryFailed) as refused:
            HttpWebhookSender(timeout=5).post(_request(url))
        assert receiver.received() == []
    assert str(refused.value) == NOT_PUBLIC
    assert "token" not in str(refused.value)


def test_https_to_a_loopback_endpoint_is_refused_before_the_tls_handshake() -> None:
    with running_receiver(SECRET) as receiver:  # plain HTTP: a handshake would fail otherwise
        url = receiver.url.replace("http://", "https://")
        with pytest.raises(DeliveryFailed) as refused:
            HttpWebhookSender(timeout=5).post(_request(url))
    assert str(refused.value) == NOT_PUBLIC


def test_through_a_proxy_the_endpoint_name_itself_must_be_public(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # discard port: never reached
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with pytest.raises(DeliveryFailed) as refused:
        HttpWebhookSender(timeout=5).post(_request("http://localhost:8080/hooks"))
    assert str(refused.value) == NOT_PUBLIC


def test_allowing_private_networks_lets_the_call_through() -> None:
    with running_receiver(SECRET) as receiver:
        HttpWebhookSender(timeout=5, allow_private_networks=True).post(_request(receiver.url))
        (call,) = receiver.received()
    assert call.status == 200
