"""The inventory demo API in Litestar: `inventory_app(variant)` is the correct API or one fault.

Items live in memory, one store per app, so every variant starts empty. Handlers read the raw
request and write JSON themselves (with `ensure_ascii`, so any string a fuzzer sends comes back
encodable), which keeps every answer exactly as the spec documents it. The checks run in the
order a client sees them: token (401), permission (403), the item (404), the body (400, 422).
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar, Request, Response, delete, get, post, put
from litestar.datastructures import MutableScopeHeaders
from litestar.params import FromPath
from litestar.types import Message, Scope

from benchmarks.testgen.faults import CORRECT, VARIANTS
from benchmarks.testgen.spec import ADMIN_TOKEN, LIMIT_MAX, READER_TOKEN, STATUSES
from benchmarks.testgen.validation import Invalid, NotJson, item_input, parse_json

_JSON, _PROBLEM = "application/json", "application/problem+json"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Content",
    500: "Internal Server Error",
}


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def _answer(status: int, body: object, headers: dict[str, str] | None = None) -> Response[bytes]:
    media = _PROBLEM if status >= 400 else _JSON
    text = json.dumps(body, ensure_ascii=True).encode()
    return Response(text, status_code=status, media_type=media, headers=headers)


def _problem(refused: _Refused) -> Response[bytes]:
    body = {
        "type": "about:blank",
        "title": _TITLES[refused.status],
        "status": refused.status,
        "detail": refused.detail,
    }
    headers = {"WWW-Authenticate": "Bearer"} if refused.status == 401 else None
    return _answer(refused.status, body, headers)


def _digits(text: str) -> bool:
    """A path id that `int` reads (ASCII digits, not so many that `int` refuses them)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


class _Store:
    """The items of one app, and the rules each variant bends."""

    def __init__(self, fault: str) -> None:
        self.fault = fault
        self.items: dict[int, dict[str, Any]] = {}
        self.next_id = 1

    def token(self, request: Request[Any, Any, Any], *, write: bool, public: bool = False) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not public and (scheme.lower() != "bearer" or token not in (ADMIN_TOKEN, READER_TOKEN)):
            raise _Refused(401, "a valid bearer token is needed")
        if write and token == READER_TOKEN:
            raise _Refused(403, "this token may only read")

    def item(self, raw_id: str) -> dict[str, Any]:
        item_id = int(raw_id) if _digits(raw_id) else 0
        if self.fault == "unknown_id_500":
            return self.items[item_id]  # KeyError: the framework answers 500
        if item_id not in self.items:
            raise _Refused(404, f"no item {raw_id!r}")
        return self.items[item_id]

    def view(self, item: dict[str, Any], *, single: bool = False) -> dict[str, Any]:
        if single and self.fault == "quantity_as_text":
            return {**item, "quantity": str(item["quantity"])}
        return item

    def body(self, raw: bytes) -> dict[str, Any]:
        try:
            fields = item_input(parse_json(raw), self.fault)
        except NotJson as error:
            raise _Refused(400, str(error)) from None
        except Invalid as error:
            raise _Refused(422, str(error)) from None
        if self.fault == "zero_quantity_500" and fields["quantity"] == 0:
            raise ZeroDivisionError("price per unit")
        if self.fault == "empty_tags_500" and not fields["tags"]:
            raise IndexError("first tag")
        return fields


def _handlers(store: _Store) -> list[Any]:
    @get("/items", sync_to_thread=False)
    def list_items(request: Request[Any, Any, Any]) -> Response[bytes]:
        try:
            store.token(request, write=False)
            status = request.query_params.get("status")
            if status is not None and status not in STATUSES:
                raise _Refused(422, "unknown status")
            raw = request.query_params.get("limit", "20")
            if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LIMIT_MAX):
                raise _Refused(422, f"limit must be an integer from 1 to {LIMIT_MAX}")
        except _Refused as refused:
            return _problem(refused)
        chosen = [i for i in reversed(store.items.values()) if status in (None, i["status"])]
        return _answer(200, {"items": chosen[: int(raw)], "total": len(chosen)})

    @post("/items")
    async def create_item(request: Request[Any, Any, Any]) -> Response[bytes]:
        try:
            store.token(request, write=store.fault != "forbidden_bypass_create")
            fields = store.body(await request.body())
        except _Refused as refused:
            return _problem(refused)
        item = {"id": store.next_id, **fields}
        store.items[store.next_id] = item
        store.next_id += 1
        shown = item["id"] + 1 if store.fault == "location_wrong_id" else item["id"]
        status = 200 if store.fault == "create_returns_200" else 201
        return _answer(status, item, {"Location": f"/items/{shown}"})

    @get("/items/{item_id:str}", sync_to_thread=False)
    def get_item(request: Request[Any, Any, Any], item_id: FromPath[str]) -> Response[bytes]:
        try:
            store.token(request, write=False, public=store.fault == "auth_bypass_get")
            return _answer(200, store.view(store.item(item_id), single=True))
        except _Refused as refused:
            return _problem(refused)

    @put("/items/{item_id:str}")
    async def update_item(
        request: Request[Any, Any, Any], item_id: FromPath[str]
    ) -> Response[bytes]:
        try:
            store.token(request, write=True)
            upsert = store.fault == "update_unknown_upserts" and _digits(item_id)
            old = store.items.get(int(item_id)) if upsert else store.item(item_id)
            fields = store.body(await request.body())
        except _Refused as refused:
            return _problem(refused)
        item = {"id": int(item_id) if old is None else old["id"], **fields}
        stored = dict(item)
        if store.fault == "lost_update" and old is not None:
            stored["quantity"] = old["quantity"]
        store.items[item["id"]] = stored
        return _answer(200, item)

    @delete("/items/{item_id:str}", status_code=204, sync_to_thread=False)
    def delete_item(request: Request[Any, Any, Any], item_id: FromPath[str]) -> Response[None]:
        try:
            store.token(request, write=True)
            item = store.item(item_id)
        except _Refused as refused:
            return _problem(refused)  # type: ignore[return-value]
        if store.fault != "delete_keeps_item":
            del store.items[item["id"]]
        return Response(None, status_code=204)

    return [list_items, create_item, get_item, update_item, delete_item]


def inventory_app(variant: str = CORRECT) -> Litestar:
    """The API with the fault `variant` names (`CORRECT` for none); its own empty store."""
    if variant not in VARIANTS:
        raise ValueError(f"no variant {variant!r}; choose from {', '.join(VARIANTS)}")
    return Litestar(
        route_handlers=_handlers(_Store(variant)), openapi_config=None, before_send=[_allow]
    )


async def _allow(message: Message, scope: Scope) -> None:
    """`Allow` on OPTIONS answers lists every method of the path: Litestar's own answer lists
    only those of the handler it was made for (GET)."""
    if message["type"] == "http.response.start" and scope.get("method") == "OPTIONS":
        path = "/items" if scope["path"].rstrip("/") == "/items" else "/items/{itemId}"
        methods = "GET, OPTIONS, POST" if path == "/items" else "DELETE, GET, OPTIONS, PUT"
        MutableScopeHeaders.from_message(message)["allow"] = methods
