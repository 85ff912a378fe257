"""What only a real S3 API shows about `S3ObjectStore` (moto's server, over HTTP on loopback).

The contract tests (tests/contracts/test_object_store.py) already run every port behaviour against
it; these cover S3 itself: objects changed behind the store's back, listings longer than one page,
prefixes sharing a bucket, an unreachable endpoint or a missing bucket, keys that need escaping
in a URL, and the store the settings build.
"""

from __future__ import annotations

import hashlib
import re
import socket
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.storage.keys import InvalidObjectKey
from adapters.storage.s3 import S3ObjectStore, S3StoreError
from application.ports import ObjectCorrupted, ObjectNotFound
from entrypoints.composition import object_store
from entrypoints.settings import load
from tests.services.s3 import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, S3Server, client_for

pytestmark = pytest.mark.integration

KEY = "models/champion.json"


@pytest.fixture
def store(s3_server: S3Server, s3_bucket: str) -> S3ObjectStore:
    return s3_server.store(s3_bucket, "cd")


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens on it once the probe is closed


def _every_text_of(error: BaseException) -> str:
    """The error as a log would show it: message, causes and traceback."""
    return "".join(traceback.format_exception(error))


# Corruption ------------------------------------------------------------------------------------


def _overwrite_keeping_metadata(server: S3Server, store: S3ObjectStore, key: str) -> None:
    name = store.name_of(key)
    old = server.client.head_object(Bucket=store.bucket, Key=name)
    server.client.put_object(
        Bucket=store.bucket, Key=name, Body=b"tampered bytes", Metadata=old["Metadata"]
    )


def _overwrite_without_checksum(server: S3Server, store: S3ObjectStore, key: str) -> None:
    server.client.put_object(Bucket=store.bucket, Key=store.name_of(key), Body=b"original bytes")


def _overwrite_with_garbled_checksum(server: S3Server, store: S3ObjectStore, key: str) -> None:
    server.client.put_object(
        Bucket=store.bucket,
        Key=store.name_of(key),
        Body=b"original bytes",
        Metadata={"sha256": "not a checksum"},
    )


def _overwrite_with_another_checksum(server: S3Server, store: S3ObjectStore, key: str) -> None:
    server.client.put_object(
        Bucket=store.bucket,
        Key=store.name_of(key),
        Body=b"original bytes",
        Metadata={"sha256": hashlib.sha256(b"something else").hexdigest()},
    )


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_overwrite_keeping_metadata, id="other bytes under the old checksum"),
        pytest.param(_overwrite_without_checksum, id="no checksum"),
        pytest.param(_overwrite_with_garbled_checksum, id="a garbled checksum"),
        pytest.param(_overwrite_with_another_checksum, id="a checksum that is not the data's"),
    ],
)
def test_an_object_changed_behind_the_stores_back_is_refused_with_its_key(
    s3_server: S3Server,
    store: S3ObjectStore,
    damage: Callable[[S3Server, S3ObjectStore, str], None],
) -> None:
    store.put(KEY, b"original bytes", "application/json")
    assert store.get(KEY) == b"original bytes"

    damage(s3_server, store, KEY)

    with pytest.raises(ObjectCorrupted, match=re.escape(KEY)) as caught:
        store.get(KEY)
    assert caught.value.key == KEY


def test_put_records_the_checksum_and_content_type_on_the_object(
    s3_server: S3Server, store: S3ObjectStore
) -> None:
    stored = store.put("tenant-a/batch.csv", b"id,amount\n1,500\n", "text/csv")

    head = s3_server.client.head_object(Bucket=store.bucket, Key="cd/tenant-a/batch.csv")
    assert head["Metadata"] == {"sha256": stored.sha256}
    assert head["ContentType"] == "text/csv"
    assert head["ContentLength"] == stored.size


# Listing ---------------------------------------------------------------------------------------


def test_keys_lists_past_the_thousand_objects_of_one_page(
    s3_server: S3Server, s3_bucket: str
) -> None:
    client = client_for(s3_server.endpoint_url)  # its own, to count its requests
    listings: list[str] = []
    client.meta.events.register("before-call.s3.ListObjectsV2", lambda **_: listings.append("page"))
    store = S3ObjectStore(client, s3_bucket, "cd")
    keys = [f"batches/{n:05d}.csv" for n in range(1_234)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda key: store.put(key, b"1", "text/csv"), keys))
    store.put("other/outside.csv", b"1", "text/csv")

    assert store.keys("batches/") == keys
    assert len(listings) == 2
    assert store.keys("batches/011") == [k for k in keys if k.startswith("batches/011")]
    assert len(store.keys("")) == 1_235


def test_objects_this_store_could_not_have_written_are_not_listed(
    s3_server: S3Server, store: S3ObjectStore
) -> None:
    store.put("tenant-a/x.csv", b"x", "text/csv")
    for name in ("cd/tenant-a//double.csv", "cd/tenant-a/./dot.csv", "cd/tenant-a/", "cd/a\\b"):
        s3_server.client.put_object(Bucket=store.bucket, Key=name, Body=b"foreign")

    assert store.keys("") == ["tenant-a/x.csv"]
    assert store.keys("tenant-a/") == ["tenant-a/x.csv"]


def test_a_key_and_a_prefix_of_the_same_name_live_side_by_side(store: S3ObjectStore) -> None:
    store.put("models/v1", b"an object", "text/plain")
    store.put("models/v1/model.ubj", b"below it", "application/octet-stream")

    store.delete("models/v1")

    assert store.keys("models/") == ["models/v1/model.ubj"]
    assert not store.exists("models/v1")
    assert store.get("models/v1/model.ubj") == b"below it"


# Prefixes --------------------------------------------------------------------------------------


def test_stores_with_different_prefixes_in_one_bucket_never_see_each_others_objects(
    s3_server: S3Server, s3_bucket: str
) -> None:
    prod, prod_eu = s3_server.store(s3_bucket, "prod"), s3_server.store(s3_bucket, "prod-eu")
    prod.put(KEY, b"prod's model", "application/json")
    prod_eu.put(KEY, b"prod-eu's model", "application/json")
    prod_eu.put("reports/q3.csv", b"only in prod-eu", "text/csv")

    assert prod.get(KEY) == b"prod's model"
    assert prod_eu.get(KEY) == b"prod-eu's model"
    assert prod.keys("") == [KEY]  # a prefix glued on without '/' would list prod-eu's too
    assert prod_eu.keys("") == [KEY, "reports/q3.csv"]
    assert not prod.exists("reports/q3.csv")
    with pytest.raises(ObjectNotFound):
        prod.get("reports/q3.csv")

    prod.delete(KEY)
    assert prod_eu.get(KEY) == b"prod-eu's model"
    assert s3_server.store(s3_bucket).keys("") == [
        "prod-eu/models/champion.json",
        "prod-eu/reports/q3.csv",
    ]


def test_a_trailing_slash_on_the_prefix_names_the_same_store(
    s3_server: S3Server, s3_bucket: str
) -> None:
    s3_server.store(s3_bucket, "creditdesk/prod/").put(KEY, b"x", "application/json")

    assert s3_server.store(s3_bucket, "creditdesk/prod").keys("") == [KEY]


@pytest.mark.parametrize("prefix", ["/prod", "prod//eu", "prod/../eu", "./prod", "pr\\od"])
def test_a_prefix_that_breaks_the_key_rules_is_refused(
    s3_server: S3Server, s3_bucket: str, prefix: str
) -> None:
    with pytest.raises(InvalidObjectKey):
        s3_server.store(s3_bucket, prefix)


# Failures --------------------------------------------------------------------------------------


def _operations(store: S3ObjectStore) -> dict[str, Callable[[], object]]:
    return {
        "put": lambda: store.put(KEY, b"x", "application/json"),
        "get": lambda: store.get(KEY),
        "exists": lambda: store.exists(KEY),
        "delete": lambda: store.delete(KEY),
        "keys": lambda: store.keys("models/"),
    }


def test_an_unreachable_endpoint_is_a_clear_error_without_credentials() -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    store = S3ObjectStore(client_for(endpoint), "creditdesk-models")

    for operation in _operations(store).values():
        with pytest.raises(S3StoreError) as caught:
            operation()
        message = str(caught.value)
        assert endpoint in message
        assert "could not be reached" in message
        assert "'creditdesk-models'" in message
        text = _every_text_of(caught.value)
        assert SECRET_ACCESS_KEY not in text
        assert ACCESS_KEY_ID not in text


def test_a_missing_bucket_is_a_clear_error_without_credentials(s3_server: S3Server) -> None:
    store = s3_server.store("no-such-bucket-here", "cd")

    operations = _operations(store)
    del operations["exists"]  # S3 answers HEAD with a bare 404: no way to tell, see below
    for operation in operations.values():
        with pytest.raises(S3StoreError, match="NoSuchBucket") as caught:
            operation()
        assert "'no-such-bucket-here'" in str(caught.value)
        text = _every_text_of(caught.value)
        assert SECRET_ACCESS_KEY not in text
        assert ACCESS_KEY_ID not in text
    assert not store.exists(KEY)  # as documented: the other operations say what is wrong


@pytest.mark.parametrize("key", ["../outside.txt", "/etc/passwd", "a//b", "a/./b", "", "a\\b"])
def test_a_bad_key_is_refused_before_any_request(key: str) -> None:
    store = S3ObjectStore(client_for(f"http://127.0.0.1:{_closed_port()}"), "creditdesk-models")

    for operation in (
        lambda: store.put(key, b"x", "text/plain"),
        lambda: store.get(key),
        lambda: store.exists(key),
        lambda: store.delete(key),
    ):
        with pytest.raises(InvalidObjectKey) as caught:  # an S3StoreError had it been sent
            operation()
        assert caught.value.key == key


# Keys that need escaping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "tenant-č/žlica.csv",
        "Tenant-A/Report.CSV",
        "tenant a/100%~done.csv",
        "x/%41",
        "日本/データ.csv",
        "emoji/🙂.bin",
        "query/a+b=c&d?e#f.csv",
    ],
)
def test_keys_beyond_plain_ascii_round_trip(store: S3ObjectStore, key: str) -> None:
    stored = store.put(key, key.encode(), "text/csv")

    assert stored.key == key
    assert store.get(key) == key.encode()
    assert store.exists(key)
    assert store.keys("") == [key]
    assert store.keys(key[:-1]) == [key]
    store.delete(key)
    assert store.keys("") == []


# Configuration ---------------------------------------------------------------------------------


def test_the_settings_build_a_store_on_the_configured_bucket(
    s3_server: S3Server, s3_bucket: str
) -> None:
    settings = load({
        "CREDITDESK_OBJECT_STORE": "s3",
        "CREDITDESK_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "CREDITDESK_S3_BUCKET": s3_bucket,
        "CREDITDESK_S3_PREFIX": "creditdesk/",
        "CREDITDESK_S3_REGION": REGION,
        "CREDITDESK_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "CREDITDESK_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    })  # fmt: skip

    store = object_store(settings)
    store.put(KEY, b"from the settings", "application/json")

    assert isinstance(store, S3ObjectStore)
    assert store.get(KEY) == b"from the settings"
    assert s3_server.store(s3_bucket).keys("") == [f"creditdesk/{KEY}"]
