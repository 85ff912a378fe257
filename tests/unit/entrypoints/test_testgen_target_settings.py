"""The allowlists of gate URLs and delivery repositories: empty by default (nothing reached),
read as comma-separated prefixes, each bad entry named by position, a password never shown."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from entrypoints.settings import load

GATE_URLS = "CREDITDESK_TESTGEN_GATE_URLS"
REPOSITORIES = "CREDITDESK_TESTGEN_REPOSITORIES"


def _problems(env: dict[str, str]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    assert "hunter2" not in str(refused.value)
    return [(p.path, p.message) for p in refused.value.problems]


def test_both_lists_are_empty_by_default() -> None:
    settings = load({}).testgen
    assert (settings.gate_urls, settings.repositories) == ((), ())


def test_prefixes_are_read_in_order_once_each_ignoring_blanks() -> None:
    env = {
        GATE_URLS: " http://127.0.0.1:8000 , https://staging.example/api/,,http://127.0.0.1:8000",
        REPOSITORIES: "/srv/git/, git@git.example:qa, https://git.example/qa/, file:///opt/r",
    }
    settings = load(env).testgen
    assert settings.gate_urls == ("http://127.0.0.1:8000", "https://staging.example/api/")
    assert settings.repositories == (
        "/srv/git/",
        "git@git.example:qa",
        "https://git.example/qa/",
        "file:///opt/r",
    )


def test_every_bad_entry_is_named_by_position_and_a_password_is_masked() -> None:
    env = {
        GATE_URLS: "ftp://files.example,http://api.example/?debug=1,/srv/api",
        REPOSITORIES: "repos/relative,https://bot:hunter2@git.example/qa,/srv/../etc",
    }
    assert _problems(env) == [
        (GATE_URLS, "entry 1 (ftp://files.example) must use one of: http, https"),
        (GATE_URLS, "entry 2 (http://api.example/?debug=1) must not have a query or a fragment"),
        (GATE_URLS, "entry 3 (/srv/api) must use one of: http, https"),
        (
            REPOSITORIES,
            "entry 1 (repos/relative) must be an absolute path or a URL without spaces, "
            "backslashes or '..'",
        ),
        (REPOSITORIES, "entry 2 (https://***@git.example/qa) must not hold a password"),
        (
            REPOSITORIES,
            "entry 3 (/srv/../etc) must be an absolute path or a URL without spaces, "
            "backslashes or '..'",
        ),
    ]
