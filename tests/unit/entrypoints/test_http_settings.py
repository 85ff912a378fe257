"""The HTTP settings: CORS origins, HSTS and rate limits, every bad value reported."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from entrypoints.http.settings import HttpSettings
from entrypoints.settings import load


def test_defaults_allow_no_other_origin_and_no_hsts() -> None:
    assert load({"HOME": "/home/lender"}).http == HttpSettings()


def test_values_are_read_from_the_environment() -> None:
    http = load(
        {
            "HOME": "/home/lender",
            "CREDITDESK_CORS_ORIGINS": "https://a.example, https://b.example/",
            "CREDITDESK_HSTS": "true",
            "CREDITDESK_RATE_LIMIT_LOGIN": "5",
            "CREDITDESK_RATE_LIMIT_INTAKE": "600",
            "CREDITDESK_METRICS_TOKEN": " prometheus-scrape-0123456789 ",
        }
    ).http
    assert http == HttpSettings(
        cors_origins=("https://a.example", "https://b.example"),
        hsts=True,
        login_per_minute=5,
        intake_per_minute=600,
        metrics_token="prometheus-scrape-0123456789",
    )
    assert "prometheus-scrape" not in repr(http)


def test_every_bad_value_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as failed:
        load(
            {
                "HOME": "/home/lender",
                "CREDITDESK_CORS_ORIGINS": "ftp://x",
                "CREDITDESK_HSTS": "maybe",
                "CREDITDESK_RATE_LIMIT_LOGIN": "0",
                "CREDITDESK_RATE_LIMIT_INTAKE": "lots",
                "CREDITDESK_METRICS_TOKEN": "short",
            }
        )
    assert {p.path for p in failed.value.problems} == {
        "CREDITDESK_CORS_ORIGINS",
        "CREDITDESK_HSTS",
        "CREDITDESK_RATE_LIMIT_LOGIN",
        "CREDITDESK_RATE_LIMIT_INTAKE",
        "CREDITDESK_METRICS_TOKEN",
    }
    assert "short" not in str(failed.value)
