from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import ValidationFailed
from entrypoints.settings import S3Settings, load


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
    secret = "x" * 32  # a shared deployment needs its token secret (test_auth_settings.py)
    settings = load({"CREDITDESK_DATABASE_URL": dsn, "CREDITDESK_JWT_SECRET": secret})
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


@pytest.mark.parametrize(
    "url", ["redis://:secret@queue:6379/0", "amqp://creditdesk:secret@rabbit:5672/%2F"]
)
def test_jobs_run_in_process_unless_a_redis_or_rabbitmq_broker_is_named(url: str) -> None:
    assert load({}).broker_url is None
    settings = load({"CREDITDESK_BROKER_URL": url})
    assert settings.broker_url == url
    assert "secret" not in repr(settings)
    with pytest.raises(ValidationFailed, match="CREDITDESK_BROKER_URL"):
        load({"CREDITDESK_BROKER_URL": "kafka://queue:9092"})


_S3 = {
    "CREDITDESK_OBJECT_STORE": "s3",
    "CREDITDESK_S3_ENDPOINT_URL": "https://minio.internal:9000",
    "CREDITDESK_S3_BUCKET": "creditdesk-prod",
    "CREDITDESK_S3_PREFIX": "eu/",
    "CREDITDESK_S3_REGION": "eu-central-1",
    "CREDITDESK_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "CREDITDESK_S3_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-very-secret",
}


def test_objects_stay_in_the_data_folder_unless_s3_is_chosen() -> None:
    assert load({}).s3 is None
    assert load({"CREDITDESK_OBJECT_STORE": "local"}).s3 is None


def test_the_s3_store_takes_every_setting_and_never_shows_the_secret() -> None:
    settings = load(_S3)

    assert settings.s3 == S3Settings(
        bucket="creditdesk-prod",
        prefix="eu",
        endpoint_url="https://minio.internal:9000",
        region="eu-central-1",
        access_key_id="AKIAEXAMPLE",
        secret_access_key="wJalrXUtnFEMI-very-secret",
    )
    assert "very-secret" not in repr(settings)
    assert "creditdesk-prod" in repr(settings)


def test_on_aws_a_bucket_is_enough_and_the_role_signs() -> None:
    settings = load({"CREDITDESK_OBJECT_STORE": "s3", "CREDITDESK_S3_BUCKET": "models.example"})

    assert settings.s3 == S3Settings(bucket="models.example")


def test_every_problem_with_the_s3_settings_is_named_at_once_without_its_value() -> None:
    with pytest.raises(ValidationFailed) as refused:
        load({
            "CREDITDESK_OBJECT_STORE": "s3",
            "CREDITDESK_S3_ENDPOINT_URL": "https://key:hunter2@minio.internal",
            "CREDITDESK_S3_PREFIX": "../outside",
            "CREDITDESK_S3_SECRET_ACCESS_KEY": "hunter2-too",
        })  # fmt: skip

    assert [p.path for p in refused.value.problems] == [
        "CREDITDESK_S3_BUCKET",
        "CREDITDESK_S3_PREFIX",
        "CREDITDESK_S3_ENDPOINT_URL",
        "CREDITDESK_S3_ACCESS_KEY_ID",
    ]
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CREDITDESK_S3_BUCKET", "Creditdesk_Prod"),
        ("CREDITDESK_S3_BUCKET", "ab"),
        ("CREDITDESK_S3_BUCKET", "a..b"),
        ("CREDITDESK_S3_BUCKET", "-creditdesk"),
        ("CREDITDESK_S3_ENDPOINT_URL", "minio.internal:9000"),
        ("CREDITDESK_S3_ENDPOINT_URL", "ftp://minio.internal"),
        ("CREDITDESK_S3_PREFIX", "eu//west"),
        ("CREDITDESK_S3_PREFIX", "/eu"),
        ("CREDITDESK_S3_ACCESS_KEY_ID", "AKIA-WITHOUT-ITS-SECRET"),
    ],
)
def test_a_bad_s3_setting_is_named(name: str, value: str) -> None:
    environ = {"CREDITDESK_OBJECT_STORE": "s3", "CREDITDESK_S3_BUCKET": "creditdesk", name: value}
    with pytest.raises(ValidationFailed) as refused:
        load(environ)
    expected = "CREDITDESK_S3_SECRET_ACCESS_KEY" if name.endswith("KEY_ID") else name
    assert [p.path for p in refused.value.problems] == [expected]


def test_an_unknown_object_store_is_named() -> None:
    with pytest.raises(ValidationFailed) as refused:
        load({"CREDITDESK_OBJECT_STORE": "minio", "CREDITDESK_S3_BUCKET": "creditdesk"})
    assert [p.path for p in refused.value.problems] == ["CREDITDESK_OBJECT_STORE"]


def test_s3_settings_without_choosing_s3_are_named_rather_than_ignored() -> None:
    with pytest.raises(ValidationFailed) as refused:
        load({"CREDITDESK_S3_BUCKET": "creditdesk", "CREDITDESK_S3_REGION": "eu-central-1"})
    assert [p.path for p in refused.value.problems] == [
        "CREDITDESK_S3_BUCKET",
        "CREDITDESK_S3_REGION",
    ]
    assert all("CREDITDESK_OBJECT_STORE is not s3" in p.message for p in refused.value.problems)


def test_a_workers_heartbeat_timeout_is_a_minute_unless_set_within_bounds() -> None:
    assert load({}).broker_heartbeat_timeout == 60.0
    assert load({"CREDITDESK_BROKER_HEARTBEAT_TIMEOUT": "5"}).broker_heartbeat_timeout == 5.0
    for text in ("0.5", "a minute", "7200"):
        with pytest.raises(ValidationFailed, match="CREDITDESK_BROKER_HEARTBEAT_TIMEOUT"):
            load({"CREDITDESK_BROKER_HEARTBEAT_TIMEOUT": text})
