from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.testgen.delivery import (
    DeliveryTarget,
    branch_problems,
    directory_problems,
    masked,
)


@pytest.mark.parametrize(
    "branch", ["main", "testgen/petstore-1.0.0", "feature/a_b", "ü-branch", "v1.2"]
)
def test_ordinary_branch_names_are_accepted(branch: str) -> None:
    assert DeliveryTarget("/repo", branch, "tests/api").branch == branch


@pytest.mark.parametrize(
    "branch",
    [
        "",
        "a b",
        "a..b",
        "-x",
        "a.lock",
        "a/b.lock/c",
        ".hidden",
        "a/.b",
        "a/",
        "/a",
        "a//b",
        "a.",
        "a@{1}",
        "@",
        "HEAD",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[b",
        "a\\b",
        "a\tb",
        "a\x7f",
    ],
)
def test_branch_names_git_refuses_are_refused_before_any_git_command(branch: str) -> None:
    with pytest.raises(ValidationFailed, match="branch"):
        DeliveryTarget("/repo", branch, "tests/api")


@pytest.mark.parametrize(
    ("directory", "normal"),
    [("tests/api", "tests/api"), ("./tests//api/", "tests/api"), ("generated", "generated")],
)
def test_the_directory_is_kept_normalised(directory: str, normal: str) -> None:
    assert DeliveryTarget("/repo", "main", directory).directory == normal


@pytest.mark.parametrize(
    "directory",
    ["", ".", "./", "/abs/tests", "../out", "tests/../../x", ".git", "a/.GIT/b", "a\\b"],
)
def test_a_directory_outside_the_repository_its_root_or_git_is_refused(directory: str) -> None:
    with pytest.raises(ValidationFailed, match="directory"):
        DeliveryTarget("/repo", "main", directory)


@pytest.mark.parametrize("repository", ["", "  ", "-upload-pack=evil", "a\nb"])
def test_a_repository_must_be_named_and_not_look_like_an_option(repository: str) -> None:
    with pytest.raises(ValidationFailed, match="repository"):
        DeliveryTarget(repository, "main", "tests")


def test_credentials_in_urls_are_masked_wherever_they_appear() -> None:
    text = "fatal: unable to access 'https://bot:s3cret@git.example/x.git/': 403"
    assert masked(text) == "fatal: unable to access 'https://***@git.example/x.git/': 403"
    target = DeliveryTarget("https://token@git.example/x.git", "main", "tests")
    assert target.shown == "https://***@git.example/x.git"
    assert masked("/srv/repos/x.git") == "/srv/repos/x.git"


@given(st.text(min_size=1, max_size=30))
def test_no_accepted_directory_escapes_the_repository(directory: str) -> None:
    if directory_problems(directory):
        return
    normal = DeliveryTarget("/repo", "main", directory).directory
    assert normal
    assert not normal.startswith("/")
    assert ".." not in normal.split("/")
    assert ".git" not in normal.lower().split("/")


@given(st.text(max_size=30))
def test_an_accepted_branch_has_no_forbidden_character_and_no_dotdot(branch: str) -> None:
    if branch_problems(branch):
        return
    assert branch
    assert ".." not in branch
    assert " " not in branch
    assert "@{" not in branch
    assert not any(c in branch for c in "~^:?*[\\")
