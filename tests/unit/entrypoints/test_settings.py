from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import ValidationFailed
from entrypoints.settings import load


def test_the_default_is_a_sqlite_file_under_the_users_data_folder() -> None:
    settings = load({"HOME": "/home/ana"})
    assert settings.data_dir == Path("/home/ana/.local/share/creditdesk")
    assert settings.database_url == "sqlite:////home/ana/.local/share/creditdesk/creditdesk.db"
    assert settings.uses_sqlite


def test_xdg_data_home_and_the_data_dir_setting_move_it() -> None:
    assert load({"XDG_DATA_HOME": "/data"}).data_dir == Path("/data/creditdesk")
    assert (
        load({"CREDITDESK_DATA_DIR": "/srv/cd"}).database_url == "sqlite:////srv/cd/creditdesk.db"
    )


def test_postgresql_by_dsn() -> None:
    dsn = "postgresql+psycopg://creditdesk@db:5432/creditdesk"
    settings = load({"CREDITDESK_DATABASE_URL": dsn})
    assert settings.database_url == dsn
    assert not settings.uses_sqlite


def test_an_unknown_database_is_named() -> None:
    with pytest.raises(ValidationFailed, match="CREDITDESK_DATABASE_URL"):
        load({"CREDITDESK_DATABASE_URL": "mysql://x"})


def test_the_shadow_share_defaults_to_a_fifth_and_can_be_set() -> None:
    assert load({}).shadow_share == 0.2
    assert load({"CREDITDESK_SHADOW_SHARE": "0.05"}).shadow_share == 0.05
    assert load({"CREDITDESK_SHADOW_SHARE": "1"}).shadow_share == 1.0


@pytest.mark.parametrize("text", ["-0.1", "1.5", "a fifth", "nan"])
def test_a_shadow_share_outside_zero_to_one_is_named_with_every_other_problem(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        load({"CREDITDESK_SHADOW_SHARE": text, "CREDITDESK_DATABASE_URL": "mysql://x"})
    assert [p.path for p in refused.value.problems] == [
        "CREDITDESK_DATABASE_URL",
        "CREDITDESK_SHADOW_SHARE",
    ]
