"""Which servers a quality gate may run against, and which repositories a delivery may push to.

Both targets are typed in by a person (one who may submit specs, or review them), and both make
the server reach out: the gate sends every generated request to its base URL, a delivery runs
`git clone` and `git push` on its repository. Unlimited, that lets anyone who may submit a spec
make the server call internal services (server-side request forgery) or read any repository on
its disk. So the operator lists allowed prefixes in settings, and a target is allowed only
under one of them (`Allowlist.permits`):

- URLs: scheme, host and port equal to the prefix's (a port left out is the scheme's default),
  and the path under the prefix's path on a segment boundary (`/api` covers `/api` and
  `/api/v2`, never `/apix`). A user name or password in the target is ignored: it does not
  change where the target leads.
- Absolute paths, and `file://` URLs (which are paths): segment by segment, as URL paths.
- scp-like git addresses (`git@host:group/repo.git`): the host exactly, the path by segments.

Whatever the list says, a target that another program could read differently from this check
is refused: backslashes, whitespace or control characters, `.` or `..` segments (percent-encoded
too), relative paths, a port that is not a number, git's `transport::address` form.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from attrs import frozen

from domain.errors import Problem

#: The schemes a quality gate may run against.
GATE_SCHEMES = frozenset({"http", "https"})
#: The schemes a delivery may push over (`file` URLs count as local paths).
REPOSITORY_SCHEMES = frozenset({"http", "https", "ssh", "git", "file"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ssh": 22, "git": 9418}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_SCP = re.compile(r"(?:[A-Za-z0-9._-]+@)?(?P<host>[A-Za-z0-9][A-Za-z0-9.-]*):(?P<path>[^:].*)")
#: The scheme of a local path (and of a `file://` URL) and of an scp-like address.
_LOCAL = ""
_SCP_SCHEME = "scp"


@frozen
class Place:
    """Where a target leads, as the allowlist compares it: scheme ("" for a local path), host
    (lower case), port (the scheme's default when left out) and the path's segments."""

    scheme: str
    host: str
    port: int | None
    segments: tuple[str, ...]

    def covers(self, other: Place) -> bool:
        """`other` is this place or under it, on a segment boundary."""
        head = (self.scheme, self.host, self.port)
        return head == (other.scheme, other.host, other.port) and (
            other.segments[: len(self.segments)] == self.segments
        )


def _segments(path: str) -> tuple[str, ...] | None:
    """The non-empty segments of `path`; None when one is `.` or `..` (the place it names
    would depend on who resolves it)."""
    parts = tuple(part for part in path.split("/") if part)
    return None if any(part in (".", "..") for part in parts) else parts


def _url_place(target: str) -> Place | None:
    scheme_text, _, _ = target.partition("://")
    if not _SCHEME.fullmatch(scheme_text):
        return None
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        return None
    host = (parts.hostname or "").lower()
    segments = _segments(unquote(parts.path))
    if segments is None:
        return None
    if scheme == "file":
        local = host in ("", "localhost") and port is None
        return Place(_LOCAL, "", None, segments) if local else None
    if not host:
        return None
    return Place(scheme, host, _DEFAULT_PORTS.get(scheme) if port is None else port, segments)


def place_of(target: str) -> Place | None:
    """Where `target` (a URL, an absolute path or an scp-like git address) leads, or None
    when it cannot be placed safely; a target without a place is never allowed."""
    if not target or any(c <= " " or c in "\x7f\\" for c in target):
        return None
    if target.startswith("/"):
        segments = _segments(target)
        return None if segments is None else Place(_LOCAL, "", None, segments)
    if "://" in target:
        return _url_place(target)
    scp = _SCP.fullmatch(target)
    if scp is None:
        return None
    path = scp["path"]
    segments = _segments(path)
    if segments is None:
        return None
    # A path without a leading '/' is relative to the account's home: keep the two apart.
    rooted = segments if path.startswith("/") else ("~", *segments)
    return Place(_SCP_SCHEME, scp["host"].lower(), None, rooted)


def scheme_of(place: Place) -> str:
    """The scheme a place was written with, as the setting's schemes name it."""
    return {_LOCAL: "file", _SCP_SCHEME: "ssh"}.get(place.scheme, place.scheme)


def prefix_problems(prefix: str, schemes: frozenset[str]) -> tuple[str, ...]:
    """What is wrong with `prefix` as an allowlist entry whose targets use `schemes`."""
    place = place_of(prefix)
    if place is None:
        return ("must be an absolute path or a URL without spaces, backslashes or '..'",)
    if scheme_of(place) not in schemes:
        return (f"must use one of: {', '.join(sorted(schemes))}",)
    if "://" in prefix:
        parts = urlsplit(prefix)
        if parts.password is not None:
            return ("must not hold a password",)
        if parts.query or parts.fragment or prefix.endswith(("?", "#")):
            return ("must not have a query or a fragment",)
    return ()


@frozen
class Allowlist:
    """The target prefixes one setting allows, and the setting's name, which a refusal gives
    so whoever is refused knows what the operator would have to change. No prefix: nothing is
    allowed."""

    setting: str
    prefixes: tuple[str, ...] = ()

    def permits(self, target: str) -> bool:
        """`target` leads to a place under one of the prefixes."""
        place = place_of(target)
        if place is None:
            return False
        allowed = (place_of(prefix) for prefix in self.prefixes)
        return any(prefix.covers(place) for prefix in allowed if prefix is not None)

    def refusal(self, field: str) -> Problem:
        """The problem of a target this list does not permit, at `field`; it names the setting
        but not the prefixes (they describe the operator's network)."""
        if not self.prefixes:
            return Problem(field, f"is not allowed: {self.setting} allows none (it is empty)")
        return Problem(field, f"is not allowed: it is under no prefix that {self.setting} lists")
