"""The allowlists of gate URLs and delivery repositories: a target is allowed only under a listed
prefix (scheme, host and port exactly, the path on a segment boundary), and a target that could
be read two ways is never allowed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.testgen.targets import (
    GATE_SCHEMES,
    REPOSITORY_SCHEMES,
    Allowlist,
    place_of,
    prefix_problems,
)

SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.~", min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..")
)
SEGMENTS = st.lists(SEGMENT, max_size=4)
HOSTS = st.sampled_from(["127.0.0.1", "localhost", "api.example", "git.example", "[::1]"])
SCHEMES = st.sampled_from(["http", "https"])
PORTS = st.one_of(st.none(), st.integers(1, 65535))


def _url(scheme: str, host: str, port: int | None, segments: list[str]) -> str:
    authority = host if port is None else f"{host}:{port}"
    return f"{scheme}://{authority}/{'/'.join(segments)}"


def _allows(prefixes: tuple[str, ...], target: str) -> bool:
    return Allowlist("CREDITDESK_X", prefixes).permits(target)


@given(SCHEMES, HOSTS, PORTS, SEGMENTS, SEGMENTS)
def test_a_prefix_allows_itself_and_everything_below_it(
    scheme: str, host: str, port: int | None, path: list[str], below: list[str]
) -> None:
    prefix = _url(scheme, host, port, path)
    assert _allows((prefix,), prefix)
    assert _allows((prefix,), _url(scheme, host, port, path + below))
    assert _allows((prefix.rstrip("/") + "/",), _url(scheme, host, port, path + below))


@given(SCHEMES, HOSTS, PORTS, SEGMENTS, SEGMENT, st.text("abc0-", min_size=1, max_size=3))
def test_a_path_is_matched_on_a_segment_boundary_only(
    scheme: str, host: str, port: int | None, path: list[str], last: str, more: str
) -> None:
    prefix = _url(scheme, host, port, [*path, last])
    assert not _allows((prefix,), _url(scheme, host, port, [*path, last + more]))
    assert not _allows((prefix,), _url(scheme, host, port, path))


@given(SCHEMES, HOSTS, PORTS, SEGMENTS, st.data())
def test_another_scheme_host_or_port_is_refused(
    scheme: str, host: str, port: int | None, path: list[str], data: st.DataObject
) -> None:
    prefix = _url(scheme, host, port, path)
    other_scheme = "https" if scheme == "http" else "http"
    other_host = data.draw(HOSTS.filter(lambda h: h != host))
    other_port = data.draw(st.integers(1, 65535).filter(lambda p: p not in (port, 80, 443)))
    assert not _allows((prefix,), _url(other_scheme, host, port, path))
    assert not _allows((prefix,), _url(scheme, other_host, port, path))
    assert not _allows((prefix,), _url(scheme, host, other_port, path))


@given(st.text(max_size=60))
def test_an_empty_list_allows_nothing_and_no_text_makes_it_fail(target: str) -> None:
    assert not _allows((), target)
    _allows(("http://127.0.0.1:8000", "/srv/repos", "git@git.example:team"), target)


@given(st.sampled_from([".", "..", "%2e", "%2E%2e", "..%2f"]), SEGMENTS)
def test_dot_segments_are_refused_under_any_prefix(dots: str, after: list[str]) -> None:
    url = "http://api.example/api/" + "/".join([dots, *after])
    assert not _allows(("http://api.example",), url)
    assert not _allows(("/",), "/srv/" + "/".join(["..", *after]))


@pytest.mark.parametrize(
    ("prefix", "target", "allowed"),
    [
        ("http://api.example", "http://api.example:80/v1", True),
        ("https://api.example:443/", "HTTPS://API.EXAMPLE/v1", True),
        ("http://api.example/api", "http://user:pw@api.example/api/pets", True),
        ("http://api.example", "http://api.example@evil.example/", False),
        ("http://api.example", "http://api.example.evil.example/", False),
        ("http://api.example", "http://evil.example#@api.example/", False),
        ("http://api.example", "http://api.example\\@evil.example/", False),
        ("http://api.example", "http://api.example:99999/", False),
        ("http://api.example", "http://api.example:x/", False),
        ("http://api.example", " http://api.example/", False),
        ("/srv/repos", "/srv/repos/pets.git", True),
        ("/srv/repos/", "file:///srv/repos/pets.git", True),
        ("/srv/repos", "file://localhost/srv/repos/pets.git", True),
        ("/srv/repos", "file://other/srv/repos/pets.git", False),
        ("/srv/repos", "/srv/repos-old/pets.git", False),
        ("/srv/repos", "/srv/repos/../secret", False),
        ("/srv/repos", "srv/repos/pets.git", False),
        ("/srv/repos", "-u/srv/repos", False),
        ("git@git.example:team/", "git@git.example:team/pets.git", True),
        ("git@git.example:team", "deploy@git.example:team/pets.git", True),
        ("git@git.example:team", "git@git.example:/team/pets.git", False),
        ("git@git.example:team", "ssh://git@git.example/team/pets.git", False),
        ("ssh://git@git.example/team", "ssh://git@git.example:22/team/pets.git", True),
        ("git@git.example:team", "ext::sh -c touch% /tmp/x", False),
        ("git.example:team", "git.example::team/pets.git", False),
    ],
)
def test_known_targets(prefix: str, target: str, allowed: bool) -> None:
    assert _allows((prefix,), target) is allowed


def test_a_refusal_names_the_setting_and_not_its_prefixes() -> None:
    empty = Allowlist("CREDITDESK_TESTGEN_GATE_URLS").refusal("base_url")
    assert empty.path == "base_url"
    assert "CREDITDESK_TESTGEN_GATE_URLS" in empty.message
    assert "empty" in empty.message
    listed = Allowlist("CREDITDESK_TESTGEN_REPOSITORIES", ("/srv/internal",)).refusal("repository")
    assert "CREDITDESK_TESTGEN_REPOSITORIES" in listed.message
    assert "/srv/internal" not in listed.message


@pytest.mark.parametrize(
    ("prefix", "schemes", "problem"),
    [
        ("http://127.0.0.1:8000/api", GATE_SCHEMES, None),
        ("/srv/repos", REPOSITORY_SCHEMES, None),
        ("git@git.example:team", REPOSITORY_SCHEMES, None),
        ("ftp://files.example", GATE_SCHEMES, "must use one of: http, https"),
        ("/srv/repos", GATE_SCHEMES, "must use one of"),
        ("https://bot:hunter2@git.example/team", REPOSITORY_SCHEMES, "password"),
        ("http://api.example/?debug=1", GATE_SCHEMES, "query"),
        ("http://api.example/#top", GATE_SCHEMES, "fragment"),
        ("relative/path", REPOSITORY_SCHEMES, "absolute path or a URL"),
        ("http:///no-host", GATE_SCHEMES, "absolute path or a URL"),
    ],
)
def test_prefix_problems(prefix: str, schemes: frozenset[str], problem: str | None) -> None:
    found = prefix_problems(prefix, schemes)
    if problem is None:
        assert found == ()
    else:
        assert any(problem in message for message in found), found


def test_places_keep_home_relative_and_rooted_scp_paths_apart() -> None:
    home = place_of("git@git.example:team/pets.git")
    rooted = place_of("git@git.example:/team/pets.git")
    assert home is not None
    assert rooted is not None
    assert home.segments == ("~", "team", "pets.git")
    assert rooted.segments == ("team", "pets.git")
