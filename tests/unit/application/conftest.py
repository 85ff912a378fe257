from __future__ import annotations

import pytest

from tests.unit.application.helpers import Desk


@pytest.fixture
def desk() -> Desk:
    """A fresh credit desk over an empty in-memory database, its staff already hired."""
    return Desk()
