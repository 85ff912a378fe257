"""Where approved tests are committed, and what a delivery returns.

A target names a git repository (a path or URL), a branch and a directory inside the repository.
The branch and directory are checked here, before any git command runs, so a bad name is a
clear validation problem rather than a git error halfway through, and a directory can never
reach outside the repository or into its `.git` (delivery replaces the directory's files).
"""

from __future__ import annotations

import re

from attrs import field, frozen

from domain.errors import DomainError, Problem, ValidationFailed

# git check-ref-format: no control characters, space, ~ ^ : ? * [ or backslash anywhere.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")
_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")


class DeliveryFailed(DomainError):
    """git refused or failed a delivery; the message is git's own, credentials masked."""


def masked(text: str) -> str:
    """`text` with the user and password of every URL in it replaced by `***`."""
    return _CREDENTIALS.sub(r"\g<scheme>***@", text)


def branch_problems(name: str) -> tuple[str, ...]:
    """What is wrong with `name` as a branch, by the rules of `git check-ref-format --branch`."""
    found: list[str] = []
    if not name:
        return ("must not be empty",)
    if _FORBIDDEN.search(name):
        found.append("must not contain spaces, control characters or any of ~ ^ : ? * [ \\")
    if name.startswith("-"):
        found.append("must not start with '-'")
    if name in ("@", "HEAD") or "@{" in name:
        found.append("must not be '@' or 'HEAD', nor contain '@{'")
    if ".." in name:
        found.append("must not contain '..'")
    if name.startswith("/") or name.endswith("/") or "//" in name:
        found.append("must not start or end with '/' or contain '//'")
    if name.endswith("."):
        found.append("must not end with '.'")
    for component in name.split("/"):
        if component.startswith("."):
            found.append("no part may start with '.'")
            break
        if component.endswith(".lock"):
            found.append("no part may end with '.lock'")
            break
    return tuple(found)


def directory_problems(directory: str) -> tuple[str, ...]:
    """A directory is relative, inside the repository, never its root nor `.git`."""
    parts = directory.split("/")
    if not directory.strip() or directory.strip() in (".", "./"):
        return ("must name a directory inside the repository, not its root",)
    if directory.startswith("/") or "\\" in directory or re.match(r"^[A-Za-z]:", directory):
        return ("must be a relative path written with '/'",)
    if any(part == ".." for part in parts):
        return ("must not contain '..'",)
    if any(part.lower() == ".git" for part in parts):
        return ("must not be inside .git",)
    if any(c < " " or c == "\x7f" for c in directory):
        return ("must not contain control characters",)
    return ()


def _check_repository(_: object, __: object, value: str) -> None:
    if not value.strip() or any(c < " " for c in value):
        raise ValidationFailed((Problem("repository", "must name a repository path or URL"),))
    if value.startswith("-"):
        raise ValidationFailed((Problem("repository", "must not start with '-'"),))


def _check_branch(_: object, __: object, value: str) -> None:
    problems = branch_problems(value)
    if problems:
        raise ValidationFailed(tuple(Problem("branch", message) for message in problems))


def _normal_directory(value: str) -> str:
    """Checked before it is normalised (`/abs` must not pass as `abs`), then `a/./b/` -> `a/b`."""
    problems = directory_problems(value)
    if problems:
        raise ValidationFailed(tuple(Problem("directory", message) for message in problems))
    return "/".join(part for part in value.split("/") if part not in ("", "."))


@frozen
class DeliveryTarget:
    """A repository (local path or URL), the branch to commit on, and the directory (relative,
    e.g. `tests/api`) whose files the delivered suite replaces."""

    repository: str = field(validator=_check_repository)
    branch: str = field(validator=_check_branch)
    directory: str = field(default="tests/generated", converter=_normal_directory)

    @property
    def shown(self) -> str:
        """The repository as it may be printed or logged: credentials masked."""
        return masked(self.repository)


@frozen
class DeliveryReceipt:
    """The commit a delivery made (or found, when nothing changed), on which branch, with
    which files (repository-relative paths). `committed` is false when the branch already held
    exactly these files, so no empty commit was made."""

    commit: str
    branch: str
    files: tuple[str, ...]
    committed: bool = True
