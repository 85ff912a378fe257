"""An app over a fresh migrated SQLite database per test, with a client that speaks to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from entrypoints.composition import Deps
from tests.integration.http.support import app_for, sqlite_deps


@pytest.fixture
def deps(sqlite_database: Path) -> Iterator[Deps]:
    built = sqlite_deps(sqlite_database)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app_for(deps)) as test_client:
        yield test_client
