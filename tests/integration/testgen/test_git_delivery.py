"""GitDelivery against real repositories: a bare one stands in for the remote."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.testgen.git_delivery import GitDelivery
from domain.errors import ValidationFailed
from domain.testgen.delivery import DeliveryFailed, DeliveryTarget, branch_problems
from domain.testgen.rendered import RenderedFile

ENV = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - git with arguments the test wrote
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],  # noqa: S607
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    return done.stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    bare.mkdir()
    git(bare, "init", "--quiet", "--bare", "--initial-branch=main")
    return bare


@pytest.fixture
def delivery(tmp_path: Path) -> GitDelivery:
    return GitDelivery(tmp_path / "work", "Test Bot", "bot@example.invalid")


def seed(remote: Path, tmp_path: Path) -> None:
    """Give the remote a default branch `main` with a README and an unrelated test file."""
    work = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "README.md").write_text("hello\n")
    (work / "tests").mkdir()
    (work / "tests" / "test_own.py").write_text("def test_own() -> None:\n    pass\n")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "initial")
    git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main")


FIRST = (
    RenderedFile("conftest.py", "BASE = 'x'\n"),
    RenderedFile("test_pets.py", "def test_a() -> None:\n    pass\n"),
    RenderedFile("test_store.py", "def test_b() -> None:\n    pass\n"),
)
SECOND = (
    RenderedFile("conftest.py", "BASE = 'x'\n"),
    RenderedFile("test_pets.py", "def test_a() -> None:\n    assert True\n"),
)


def test_two_deliveries_commit_on_the_branch_replacing_the_directory(
    remote: Path, tmp_path: Path, delivery: GitDelivery
) -> None:
    seed(remote, tmp_path)
    target = DeliveryTarget(str(remote), "testgen/petstore", "tests/api")

    first = delivery.deliver(target, FIRST, "test: add 3 approved tests for Petstore 1\n")
    second = delivery.deliver(target, SECOND, "test: update Petstore 2\n\n- test_a\n")

    assert first.committed
    assert second.committed
    assert first.files == (
        "tests/api/conftest.py",
        "tests/api/test_pets.py",
        "tests/api/test_store.py",
    )
    assert second.files == ("tests/api/conftest.py", "tests/api/test_pets.py")
    assert git(remote, "rev-parse", "refs/heads/testgen/petstore").strip() == second.commit
    log = git(remote, "log", "--format=%H %an <%ae> %s", "testgen/petstore").splitlines()
    assert log[0] == f"{second.commit} Test Bot <bot@example.invalid> test: update Petstore 2"
    assert log[1].startswith(f"{first.commit} Test Bot")
    assert log[2].endswith("initial")  # branched from the default branch
    assert (
        git(remote, "log", "-1", "--format=%B", second.commit)
        == "test: update Petstore 2\n\n- test_a\n\n"
    )
    tree = git(remote, "ls-tree", "-r", "--name-only", second.commit).split()
    assert tree == [
        "README.md",
        "tests/api/conftest.py",
        "tests/api/test_pets.py",
        "tests/test_own.py",
    ]
    shown = git(remote, "show", f"{second.commit}:tests/api/test_pets.py")
    assert shown == "def test_a() -> None:\n    assert True\n"
    assert git(remote, "rev-parse", "refs/heads/main").strip() != second.commit  # main untouched


def test_the_same_files_again_make_no_empty_commit(
    remote: Path, tmp_path: Path, delivery: GitDelivery
) -> None:
    seed(remote, tmp_path)
    target = DeliveryTarget(str(remote), "suite", "generated")
    first = delivery.deliver(target, FIRST, "test: first\n")
    again = delivery.deliver(target, FIRST, "test: again\n")
    assert not again.committed
    assert again.commit == first.commit
    assert git(remote, "rev-list", "--count", "suite").strip() == "2"


def test_an_empty_remote_gets_the_branch_as_its_first_commit(
    remote: Path, delivery: GitDelivery
) -> None:
    receipt = delivery.deliver(DeliveryTarget(str(remote), "tests", "api"), FIRST, "test: first\n")
    assert git(remote, "rev-list", "--count", "tests").strip() == "1"
    assert git(remote, "rev-parse", "tests").strip() == receipt.commit
    assert git(remote, "ls-tree", "-r", "--name-only", "tests").split() == [
        "api/conftest.py",
        "api/test_pets.py",
        "api/test_store.py",
    ]


def test_a_missing_repository_fails_with_gits_words(delivery: GitDelivery, tmp_path: Path) -> None:
    with pytest.raises(DeliveryFailed, match=r"git clone failed: .*does not exist"):
        delivery.deliver(DeliveryTarget(str(tmp_path / "nowhere"), "b", "t"), FIRST, "m")


def test_credentials_in_a_url_never_reach_the_error(delivery: GitDelivery) -> None:
    url = "http://robot:s3cret-token@127.0.0.1:9/repo.git"
    with pytest.raises(DeliveryFailed) as failed:
        delivery.deliver(DeliveryTarget(url, "b", "t"), FIRST, "m")
    assert "s3cret" not in str(failed.value)
    assert "robot" not in str(failed.value)
    assert "git clone failed" in str(failed.value)


def test_a_directory_reached_through_a_symbolic_link_is_refused(
    remote: Path, tmp_path: Path, delivery: GitDelivery
) -> None:
    work = tmp_path / "linked"
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "out").symlink_to(tmp_path)
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "a link")
    git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    with pytest.raises(DeliveryFailed, match="symbolic link"):
        delivery.deliver(DeliveryTarget(str(remote), "main", "out/tests"), FIRST, "m")
    assert not (tmp_path / "tests").exists()


@pytest.mark.parametrize(
    "files",
    [(), (RenderedFile("../escape.py", ""),), (RenderedFile("a.py", ""), RenderedFile("a.py", ""))],
)
def test_bad_files_are_refused_before_git_runs(
    files: tuple[RenderedFile, ...], delivery: GitDelivery, tmp_path: Path
) -> None:
    with pytest.raises(ValidationFailed, match="files"):
        delivery.deliver(DeliveryTarget(str(tmp_path / "nowhere"), "b", "t"), files, "m")


def git_accepts_branch(name: str) -> bool:
    done = subprocess.run(  # noqa: S603 - git with a name as one argument, no shell
        ["git", "check-ref-format", "--branch", name],  # noqa: S607
        cwd="/",  # outside any repository: `--branch` resolves nothing there
        capture_output=True,
        check=False,
        env=ENV,
    )
    return done.returncode == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12))
def test_every_branch_name_the_domain_accepts_git_accepts_too(name: str) -> None:
    if not branch_problems(name):
        assert git_accepts_branch(name)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text("ab./-@{}:~ lock\tHE", max_size=10))
def test_the_domain_and_git_agree_on_names_made_of_tricky_characters(name: str) -> None:
    # `--branch @` reads "@" as a shorthand for HEAD rather than as a name; both are refused.
    if name != "@":
        assert (not branch_problems(name)) == git_accepts_branch(name)
