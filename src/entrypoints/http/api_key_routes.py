"""`/api/v1/admin/api-keys`: the tenant's credentials for other services.

Creating a key answers the plain key once, in the 201; it is never shown again (only a hash
of its secret is stored). The listing shows names, dates and whether a key is revoked, never
a secret or its hash. Another tenant's key answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from application.credit.api_keys import CreateApiKey, ListApiKeys, RevokeApiKey
from domain.auth import ApiKey
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires

BASE = "/api/v1/admin/api-keys"
_P = Permission


@dataclass(frozen=True)
class NewApiKey:
    name: str


def api_key_json(key: ApiKey) -> dict[str, Any]:
    """A key as shown: everything but its secret's hash."""
    return {
        "id": key.id,
        "name": key.name,
        "role": key.role.value,
        "created_by": key.created_by,
        "created_at": key.created_at.isoformat(),
        "last_used_at": None if key.last_used_at is None else key.last_used_at.isoformat(),
        "revoked_at": None if key.revoked_at is None else key.revoked_at.isoformat(),
    }


class ApiKeysController(Controller):
    path = BASE
    tags = ["admin"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="List the tenant's API keys", operation_id="listApiKeys",
         sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def list_keys(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return {"items": [api_key_json(key) for key in ListApiKeys(deps.uow())(principal)]}

    @post(summary="Create an API key (its plain text is shown once)",
          operation_id="createApiKey", sync_to_thread=True,
          **requires(_P.USER_MANAGE))  # fmt: skip
    def create(
        self, deps: AppDeps, principal: CurrentPrincipal, data: JSONBody[NewApiKey]
    ) -> dict[str, Any]:
        issued = CreateApiKey(deps.uow(), deps.clock, deps.ids, deps.secrets)(principal, data.name)
        return {**api_key_json(issued.key), "key": issued.plain}

    @delete("/{key_id:str}", summary="Revoke an API key", operation_id="revokeApiKey",
            status_code=200, sync_to_thread=True, **requires(_P.USER_MANAGE))  # fmt: skip
    def revoke(
        self, deps: AppDeps, principal: CurrentPrincipal, key_id: FromPath[str]
    ) -> dict[str, Any]:
        return api_key_json(RevokeApiKey(deps.uow(), deps.clock)(principal, key_id))
