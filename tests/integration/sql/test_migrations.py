"""The migrations build the schema the code describes, and take it down again, on both engines."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, inspect

from adapters.sql import create_engine_for, current, downgrade, metadata, upgrade
from adapters.sql.migrate import config

HEAD = ScriptDirectory.from_config(config()).get_current_head()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found: list[object] = compare_metadata(context, metadata)
        return found


def test_there_is_one_head_and_every_revision_steps_down_to_base() -> None:
    scripts = ScriptDirectory.from_config(config())
    assert len(scripts.get_heads()) == 1
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].down_revision is None
    assert HEAD is not None


def test_upgrade_to_head_builds_exactly_the_metadata(empty_database: Path | URL) -> None:
    engine = create_engine_for(empty_database)
    try:
        assert current(engine) is None
        upgrade(engine)
        assert current(engine) == HEAD
        assert _tables(engine) == set(metadata.tables)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(
    empty_database: Path | URL,
) -> None:
    engine = create_engine_for(empty_database)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert current(engine) is None
        assert _tables(engine) == set()
        upgrade(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_each_revision_downgrades_and_upgrades_one_step_at_a_time(
    empty_database: Path | URL,
) -> None:
    engine = create_engine_for(empty_database)
    revisions = [
        script.revision for script in ScriptDirectory.from_config(config()).walk_revisions()
    ]
    try:
        upgrade(engine)
        for below in [*revisions[1:], None]:
            downgrade(engine, "-1")
            assert current(engine) == below
        for revision in reversed(revisions):
            upgrade(engine, "+1")
            assert current(engine) == revision
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_the_api_takes_a_url_or_a_path_as_well_as_an_engine(tmp_path: Path) -> None:
    path = tmp_path / "by-path.db"
    upgrade(path)
    assert current(path) == HEAD
    assert current(f"sqlite:///{path}") == HEAD
    downgrade(str(URL.create("sqlite", database=str(path))))
    assert current(path) is None
