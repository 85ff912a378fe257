"""Commits a rendered suite to a branch of a git repository, with the `git` command.

Each delivery works in a fresh clone under `workdir` (removed afterwards), so nothing is shared
between deliveries and the target may be a local path or any URL git understands. The target
directory is replaced as a whole: a test removed from the suite disappears from the repository,
and the rest of the repository is left as it was. Delivering the same files again makes no
empty commit; the receipt then names the commit already there.

git runs without a shell and without prompts (`GIT_TERMINAL_PROMPT=0`), with the author given
on the command line (no global configuration needed) and hooks switched off, since the clone's
hooks are not ours to run. Its errors become `DeliveryFailed` with git's own words, every
credential in a URL masked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from domain.errors import Problem, ValidationFailed
from domain.testgen.delivery import (
    DeliveryFailed,
    DeliveryReceipt,
    DeliveryTarget,
    directory_problems,
    masked,
)
from domain.testgen.rendered import RenderedFile

# Variables that would point git at another repository than the clone it is working in.
_LOCATING = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_PREFIX",
    }
)


class GitDelivery:
    """Satisfies the `TestRepository` port: `deliver(target, files, message) -> receipt`."""

    def __init__(
        self,
        workdir: Path,
        author_name: str = "creditdesk",
        author_email: str = "testgen@creditdesk.invalid",
        timeout_s: float = 120.0,
        git: str = "git",
    ) -> None:
        self._workdir = workdir
        self._author = (author_name, author_email)
        self._timeout_s = timeout_s
        self._git_command = git

    def deliver(
        self, target: DeliveryTarget, files: tuple[RenderedFile, ...], message: str
    ) -> DeliveryReceipt:
        _check_files(files)
        if not message.strip():
            raise ValidationFailed((Problem("message", "a commit needs a message"),))
        self._workdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="delivery-", dir=self._workdir) as scratch:
            clone = Path(scratch) / "clone"
            self._git(Path(scratch), "clone", "--quiet", "--", target.repository, str(clone))
            on_remote = self._checkout(clone, target.branch)
            paths = _replace_directory(clone, target.directory, files)
            self._git(clone, "add", "--all", "--", target.directory)
            committed = self._staged(clone)
            if committed:
                self._git(clone, "commit", "--quiet", "--no-verify", "-F", "-", stdin=message)
            elif not self._has_head(clone):
                raise DeliveryFailed("nothing to commit on an empty branch")
            if committed or not on_remote:
                self._git(clone, "push", "--quiet", "origin", f"HEAD:refs/heads/{target.branch}")
            commit = self._git(clone, "rev-parse", "HEAD").strip()
        return DeliveryReceipt(commit, target.branch, paths, committed)

    def _checkout(self, clone: Path, branch: str) -> bool:
        """Check out `branch`: the remote's when it exists (True), else a new one from the
        default branch, or an unborn one in an empty repository (False)."""
        remote = f"refs/remotes/origin/{branch}"
        if self._has(clone, remote):
            self._git(clone, "checkout", "--quiet", "-B", branch, remote)
            return True
        if self._has_head(clone):
            self._git(clone, "checkout", "--quiet", "-B", branch)
        else:
            self._git(clone, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
        return False

    def _has(self, clone: Path, ref: str) -> bool:
        return (
            self._run(clone, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode
            == 0
        )

    def _has_head(self, clone: Path) -> bool:
        return self._has(clone, "HEAD")

    def _staged(self, clone: Path) -> bool:
        done = self._run(clone, "diff", "--cached", "--quiet")
        if done.returncode not in (0, 1):
            raise DeliveryFailed(f"git diff failed: {masked(done.stderr.strip())}")
        return done.returncode == 1

    def _git(self, cwd: Path, *args: str, stdin: str | None = None) -> str:
        done = self._run(cwd, *args, stdin=stdin)
        if done.returncode != 0:
            said = masked((done.stderr or done.stdout).strip()) or f"exit status {done.returncode}"
            raise DeliveryFailed(f"git {args[0]} failed: {said}")
        return done.stdout

    def _run(
        self, cwd: Path, *args: str, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        name, email = self._author
        command = [
            self._git_command,
            "-c",
            f"user.name={name}",
            "-c",
            f"user.email={email}",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "commit.gpgSign=false",
            "-c",
            "advice.detachedHead=false",
            "-c",
            "protocol.ext.allow=never",
            *args,
        ]
        try:
            return subprocess.run(  # noqa: S603 - a fixed git command, no shell
                command,
                cwd=cwd,
                input=stdin,
                capture_output=True,
                text=True,
                timeout=self._timeout_s,
                env=_environment(),
                check=False,
            )
        except FileNotFoundError as missing:
            raise DeliveryFailed(f"git is not installed ({self._git_command!r})") from missing
        except subprocess.TimeoutExpired as slow:
            raise DeliveryFailed(f"git {args[0]} took longer than {self._timeout_s:g} s") from slow


def _environment() -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in _LOCATING}
    return {**inherited, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _check_files(files: tuple[RenderedFile, ...]) -> None:
    if not files:
        raise ValidationFailed((Problem("files", "nothing to deliver"),))
    problems = [
        Problem(f"files[{index}].path", f"{file.path!r} {message}")
        for index, file in enumerate(files)
        for message in directory_problems(file.path)
    ]
    paths = [file.path for file in files]
    problems += [
        Problem("files", f"{path!r} appears twice")
        for path in sorted(set(paths))
        if paths.count(path) > 1
    ]
    if problems:
        raise ValidationFailed(tuple(problems))


def _replace_directory(
    clone: Path, directory: str, files: tuple[RenderedFile, ...]
) -> tuple[str, ...]:
    """Empty `directory` in the clone and write `files` there; refuses a directory reached
    through a symbolic link, which could point outside the clone."""
    root = clone.resolve()
    place = root
    for part in directory.split("/"):
        place = place / part
        if place.is_symlink():
            raise DeliveryFailed(f"{directory!r} goes through a symbolic link in the repository")
    if place.exists() and not place.is_dir():
        raise DeliveryFailed(f"{directory!r} is a file in the repository, not a directory")
    if place.exists():
        shutil.rmtree(place)
    for file in files:
        path = place / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.text, encoding="utf-8", newline="")
    return tuple(sorted(f"{directory}/{file.path}" for file in files))
