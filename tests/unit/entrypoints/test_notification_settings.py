"""The mail server and webhook settings: email off by default, every mistake named, no secret
repeated."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from entrypoints.composition import email_sender
from entrypoints.settings import SmtpSettings, load

HOST = {"CREDITDESK_SMTP_HOST": "mail.lender.example", "CREDITDESK_SMTP_FROM": "cd@lender.example"}
PASSWORD = "hunter2-but-longer"


def _problems(env: dict[str, str]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    assert PASSWORD not in str(refused.value)
    return {p.path.removeprefix("CREDITDESK_"): p.message for p in refused.value.problems}


def test_email_is_off_without_a_host_and_webhooks_wait_ten_seconds() -> None:
    settings = load({})
    assert settings.smtp is None
    assert email_sender(settings.smtp) is None
    assert settings.webhooks.timeout == 10.0
    assert load({"CREDITDESK_WEBHOOK_TIMEOUT": "2.5"}).webhooks.timeout == 2.5


def test_webhooks_reach_public_addresses_only_unless_private_networks_are_allowed() -> None:
    assert load({}).webhooks.allow_private_networks is False
    allowed = load({"CREDITDESK_WEBHOOK_ALLOW_PRIVATE": "true"})
    assert allowed.webhooks.allow_private_networks is True


def test_a_host_and_a_sender_turn_email_on_over_port_25() -> None:
    assert load(HOST).smtp == SmtpSettings(host="mail.lender.example", sender="cd@lender.example")


def test_starttls_with_a_login_defaults_to_the_submission_port() -> None:
    smtp = load(
        {
            **HOST,
            "CREDITDESK_SMTP_STARTTLS": "true",
            "CREDITDESK_SMTP_USERNAME": "creditdesk",
            "CREDITDESK_SMTP_PASSWORD": PASSWORD,
        }
    ).smtp
    assert smtp == SmtpSettings(
        host="mail.lender.example",
        sender="cd@lender.example",
        port=587,
        starttls=True,
        username="creditdesk",
        password=PASSWORD,
    )
    assert PASSWORD not in repr(smtp)
    sender = email_sender(smtp)
    assert sender is not None
    assert PASSWORD not in repr(sender)
    assert load({**HOST, "CREDITDESK_SMTP_PORT": "2525"}).smtp == SmtpSettings(
        host="mail.lender.example", sender="cd@lender.example", port=2525
    )


def test_smtp_settings_without_a_host_are_a_mistake_named_each() -> None:
    found = _problems({"CREDITDESK_SMTP_PORT": "587", "CREDITDESK_SMTP_PASSWORD": PASSWORD})
    assert found == {
        "SMTP_PORT": "is set, but CREDITDESK_SMTP_HOST is not",
        "SMTP_PASSWORD": "is set, but CREDITDESK_SMTP_HOST is not",
    }


def test_every_problem_of_the_mail_server_is_named_at_once() -> None:
    found = _problems(
        {
            "CREDITDESK_SMTP_HOST": "mail.lender.example",
            "CREDITDESK_SMTP_PORT": "²",
            "CREDITDESK_SMTP_STARTTLS": "maybe",
            "CREDITDESK_SMTP_PASSWORD": PASSWORD,
            "CREDITDESK_WEBHOOK_TIMEOUT": "0",
            "CREDITDESK_WEBHOOK_ALLOW_PRIVATE": "sometimes",
        }
    )
    assert set(found) == {
        "SMTP_PORT",
        "SMTP_STARTTLS",
        "SMTP_FROM",
        "SMTP_USERNAME",
        "WEBHOOK_TIMEOUT",
        "WEBHOOK_ALLOW_PRIVATE",
    }
    assert "1 to 65535" in found["SMTP_PORT"]
    assert "true or false" in found["SMTP_STARTTLS"]
    assert "sender's address" in found["SMTP_FROM"]


def test_a_login_needs_starttls() -> None:
    found = _problems(
        {**HOST, "CREDITDESK_SMTP_USERNAME": "creditdesk", "CREDITDESK_SMTP_PASSWORD": PASSWORD}
    )
    assert found == {
        "SMTP_STARTTLS": "must be true for a login: a password is never sent in the clear"
    }
