"""The object store on S3 or any S3-compatible server (MinIO, Ceph, moto): for production.

Layout. A key is stored as the object named "<prefix>/<key>" in one bucket ("<key>" without a
prefix). The prefix is joined with a '/', never glued on, so stores with the prefixes "prod" and
"prod-eu" share a bucket without ever seeing each other's objects; only a prefix nested inside
another ("prod" and "prod/eu") overlaps, exactly as nested folders would.

Integrity. Every put records the SHA-256 of the bytes in the object's own metadata
(x-amz-meta-sha256) and sends their MD5, so the server refuses a body damaged on the way; every
get recomputes the SHA-256 and raises `ObjectCorrupted` when it differs or is missing. The
checksum lives in the same object as the data, so one PUT replaces both at once, and S3 makes a
PUT atomic: a reader sees the old object or the new one, never a mix.

Errors. A missing object is `ObjectNotFound`; everything else that goes wrong on the way (an
unreachable endpoint, a missing bucket, denied access) is an `S3StoreError`, an `OSError` like
the local store's disk errors: it says the store could not answer, not that the object is absent
or not genuine. Its message names the operation, bucket, key, endpoint and S3's error code, and
never a credential: the secret key never leaves this process (requests are only signed with it),
and botocore's exceptions, which may carry request parameters, are kept as the cause only.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.parse
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable

from adapters.storage.keys import is_valid_key, key_segments
from application.ports import ObjectCorrupted, ObjectNotFound, StoredObject

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["S3ObjectStore", "S3StoreError", "make_client", "normalized_prefix"]

CHECKSUM_METADATA = "sha256"  # sent as the header x-amz-meta-sha256
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class S3StoreError(OSError):
    """The S3 server could not be reached or refused a request; the message says which and why."""


def normalized_prefix(prefix: str) -> str:
    """`prefix` without a trailing '/', after checking it follows the key rules.

    Raises `InvalidObjectKey`. "" (no prefix) is allowed; "creditdesk/" means "creditdesk".
    """
    prefix = prefix.removesuffix("/")
    if prefix:
        key_segments(prefix)
    return prefix


def _redacted(url: str) -> str:
    """`url` without any user or password it may carry, fit for an error message."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def make_client(
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    max_attempts: int = 3,
    connect_timeout: float = 5.0,
    read_timeout: float = 60.0,
) -> S3Client:
    """A boto3 S3 client from plain settings.

    Without keys boto3 falls back to its own credential chain (an instance or pod role), the
    usual way in production. An explicit `endpoint_url` means an S3-compatible server, which is
    addressed path-style ("http://host/bucket/key"): virtual-host style would need wildcard DNS
    that such servers rarely have. botocore's own CRC checksums are asked for only where S3
    requires them: the store verifies a SHA-256 itself, and several S3-compatible servers refuse
    the chunked uploads those checksums use.
    """
    config = Config(
        region_name=region,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"max_attempts": max_attempts, "mode": "standard"},
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session = boto3.session.Session(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        region_name=region,
    )
    return session.client("s3", endpoint_url=endpoint_url, config=config)


class S3ObjectStore:
    """An `ObjectStore` in one bucket of an S3 API, under an optional key prefix.

    Takes a ready boto3 client (its caller chooses endpoint, credentials and retries);
    `make_client` builds one from plain settings. boto3 clients are thread-safe, so one store serves
    every thread. The credentials need s3:GetObject, PutObject, DeleteObject and ListBucket: without
    ListBucket, S3 answers a read of a missing key with "access denied" instead of "not found".
    """

    def __init__(self, client: S3Client, bucket: str, prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = normalized_prefix(prefix)

    @property
    def bucket(self) -> str:
        return self._bucket

    @property
    def prefix(self) -> str:
        return self._prefix

    def name_of(self, key: str) -> str:
        """The S3 object name that holds `key`; raises `InvalidObjectKey` for a bad key."""
        key_segments(key)
        return f"{self._prefix}/{key}" if self._prefix else key

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        name = self.name_of(key)
        data = bytes(data)  # a caller's mutable buffer must not change between hash and send
        digest = hashlib.sha256(data).hexdigest()
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=name,
                Body=data,
                ContentType=content_type,
                ContentMD5=base64.b64encode(md5).decode("ascii"),
                Metadata={CHECKSUM_METADATA: digest},
            )
        except (BotoCoreError, ClientError) as error:
            raise self._failure("PutObject", key, error) from error
        return StoredObject(key, len(data), digest, content_type)

    def get(self, key: str) -> bytes:
        name = self.name_of(key)
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=name)
            data = response["Body"].read()
        except ClientError as error:
            if _code(error) in _MISSING:
                raise ObjectNotFound(f"no object under {key!r}") from None
            raise self._failure("GetObject", key, error) from error
        except BotoCoreError as error:
            raise self._failure("GetObject", key, error) from error
        expected = response.get("Metadata", {}).get(CHECKSUM_METADATA)
        if expected is None:
            raise ObjectCorrupted(key, "its SHA-256 metadata is missing")
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise ObjectCorrupted(key, f"its SHA-256 is {actual} but {expected} was put")
        return data

    def exists(self, key: str) -> bool:
        """Whether the object is there (a HEAD request; S3 gives no reason with a 404 to HEAD,
        so a missing bucket reads as a missing object here, and fails loudly everywhere else)."""
        name = self.name_of(key)
        try:
            self._client.head_object(Bucket=self._bucket, Key=name)
        except ClientError as error:
            if _code(error) in _MISSING:
                return False
            raise self._failure("HeadObject", key, error) from error
        except BotoCoreError as error:
            raise self._failure("HeadObject", key, error) from error
        return True

    def delete(self, key: str) -> None:
        """S3 answers a delete of a missing object with success, which makes retries safe."""
        name = self.name_of(key)
        try:
            self._client.delete_object(Bucket=self._bucket, Key=name)
        except (BotoCoreError, ClientError) as error:
            raise self._failure("DeleteObject", key, error) from error

    def keys(self, prefix: str) -> list[str]:
        """Every key under `prefix`, page after page (S3 returns at most 1,000 per request).

        Objects in the bucket that this store could not have written (names that break the key
        rules, put there by other tools) are left out, as the local store leaves out stray files.
        """
        base = f"{self._prefix}/" if self._prefix else ""
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=base + prefix
        )
        found: list[str] = []
        try:
            for page in pages:
                found.extend(item["Key"].removeprefix(base) for item in page.get("Contents", ()))
        except (BotoCoreError, ClientError) as error:
            raise self._failure("ListObjectsV2", prefix, error) from error
        return sorted(key for key in found if is_valid_key(key))

    def _failure(self, operation: str, key: str, error: Exception) -> S3StoreError:
        where = f"bucket {self._bucket!r} at {_redacted(self._client.meta.endpoint_url)}"
        if isinstance(error, ClientError):
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
            message = error.response.get("Error", {}).get("Message", "")
            reason = f"{_code(error) or 'an error'} (HTTP {status}){': ' if message else ''}"
            reason += message
        elif isinstance(error, EndpointUnreachable):
            reason = "the endpoint could not be reached"
        elif isinstance(error, HTTPClientError):  # a timeout or a connection closed mid-reply
            reason = f"the endpoint did not answer ({type(error).__name__})"
        else:
            reason = type(error).__name__  # its text may hold request parameters: not shown
        return S3StoreError(f"S3 {operation} of {key!r} in {where} failed: {reason}")


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
