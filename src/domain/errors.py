"""The errors the domain raises, each named for the rule it protects.

Callers (use cases, HTTP handlers) catch these by type to choose a response; the message is
written for the person who broke the rule and never carries personal data.
"""

from __future__ import annotations

from attrs import frozen


@frozen
class Problem:
    """One thing wrong with an input: where (a dotted field path) and what, in plain words."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DomainError(Exception):
    """Base of every rule the domain enforces."""


class ValidationFailed(DomainError):
    """An input broke one or more rules; `problems` lists every one of them, not just the first."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class IllegalTransition(DomainError):
    """A status change the lifecycle does not allow (for example, anything out of a final state)."""


class PermissionDenied(DomainError):
    """The acting person lacks a permission the action requires."""


class ConflictError(DomainError):
    """The action is valid in general but conflicts with the current state (a taken case, say)."""
