"""The JSON bodies of the test-generation actions, and their checks.

Each body is structured by the one converter (every wrong or unknown field listed at once); what
JSON types cannot say (a URL that is one, a branch name git accepts, a directory inside the
repository) is checked here too, all problems together, before anything is run or written.
"""

from __future__ import annotations

import urllib.parse
from enum import StrEnum

from attrs import field, frozen

from domain.errors import Problem, ValidationFailed
from domain.testgen.delivery import DeliveryTarget, branch_problems, directory_problems
from domain.testgen.rendered import GateTarget

#: The most test ids one bulk approval names: far above any suite, well below a flood.
MAX_BULK = 5_000


class ReviewAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"


@frozen
class ReviewBody:
    """A review of one test or a whole suite; a rejection, and the approval of a suspect
    test, need a comment (the domain says so, naming the field)."""

    action: ReviewAction
    comment: str | None = None


@frozen
class BulkApproveBody:
    """The tests to approve at once, by case id, with one comment for all of them."""

    case_ids: tuple[str, ...]
    comment: str | None = None

    def checked(self) -> BulkApproveBody:
        if not self.case_ids:
            raise ValidationFailed((Problem("case_ids", "must name at least one test"),))
        if len(self.case_ids) > MAX_BULK:
            raise ValidationFailed((Problem("case_ids", f"must name at most {MAX_BULK:,}"),))
        return self


@frozen
class GateBody:
    """A gate run: compile and collect always; run against `base_url` when one is given,
    with the credentials the suite's tests use."""

    base_url: str | None = None
    token: str | None = field(default=None, repr=False)
    limited_token: str | None = field(default=None, repr=False)

    def target(self) -> GateTarget | None:
        """The target to run against, or None; `ValidationFailed` naming every problem."""
        found: list[Problem] = []
        if self.base_url is None:
            found.extend(
                Problem(name, "needs a base_url to run against")
                for name, value in (("token", self.token), ("limited_token", self.limited_token))
                if value is not None
            )
        else:
            parts = urllib.parse.urlsplit(self.base_url)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                found.append(Problem("base_url", "must be an http:// or https:// URL"))
            elif parts.username is not None or parts.password is not None:
                found.append(Problem("base_url", "must not hold credentials: send a token"))
        if found:
            raise ValidationFailed(tuple(found))
        if self.base_url is None:
            return None
        return GateTarget(self.base_url, self.token, self.limited_token)


@frozen
class DeliveryBody:
    """Where the approved tests go: a repository (a path or URL), a branch, a directory."""

    repository: str
    branch: str
    directory: str = "tests/generated"

    def target(self) -> DeliveryTarget:
        """The delivery target; `ValidationFailed` naming every problem at once."""
        found = [Problem("branch", message) for message in branch_problems(self.branch)]
        found += [Problem("directory", message) for message in directory_problems(self.directory)]
        if not self.repository.strip() or any(c < " " for c in self.repository):
            found.append(Problem("repository", "must name a repository path or URL"))
        elif self.repository.startswith("-"):
            found.append(Problem("repository", "must not start with '-'"))
        if found:
            raise ValidationFailed(tuple(found))
        return DeliveryTarget(self.repository, self.branch, self.directory)
