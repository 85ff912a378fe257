"""The sample petstore spec served for real: a small Litestar app on a free loopback port, in a
thread, so the quality gate's rendered suite has a live server to run against.

`faulty=True` serves the same API with four seeded faults (a name one longer than maxLength is
accepted, a limited credential may delete, an unknown id answers 200, an update is lost), each
caught by one hand-written case of `rendering_cases.py`; the pet with the long name then breaks
the schema of the list, which the list's test catches too.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from litestar import Litestar, Request, Response, route
from litestar.params import FromPath

TOKEN = "valid-token-3f9a"
LIMITED_TOKEN = "limited-token-77c1"
JSON = "application/json"


def _error(status: int, message: str) -> Response[Any]:
    return Response({"code": status, "message": message}, status_code=status, media_type=JSON)


def _new_pet_problem(body: Any, faulty: bool, depth: int = 0) -> str | None:
    """Why `body` is not a NewPet, or None; `faulty` lets a 41-character name through."""
    if not isinstance(body, dict):
        return "a pet is an object"
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= (41 if faulty else 40):
        return "name: text of 1 to 40 characters"
    if body.get("tag", None) not in (None, "cat", "dog"):
        return "tag: cat, dog or null"
    children = body.get("children", [])
    if not isinstance(children, list) or len(children) > 5 or depth > 20:
        return "children: at most 5 pets"
    return next(
        (p for child in children if (p := _new_pet_problem(child, faulty, depth + 1))), None
    )


def petstore_app(faulty: bool = False, echo_credentials: bool = False) -> Litestar:
    """`echo_credentials`: the unknown-id fault answers with the credential it was sent, as a
    careless server might, to show the gate's messages never carry it."""
    pets: dict[int, dict[str, Any]] = {}
    ids = itertools.count(1)

    def credential(request: Request[Any, Any, Any]) -> str | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        return token if token in (TOKEN, LIMITED_TOKEN) else None

    async def read(request: Request[Any, Any, Any]) -> tuple[Any, Response[Any] | None]:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return None, _error(400, "the body is not JSON")
        problem = _new_pet_problem(body, faulty)
        return body, (_error(422, problem) if problem else None)

    @route("/pets", http_method=["GET", "POST"])
    async def pets_route(request: Request[Any, Any, Any]) -> Response[Any]:
        if request.method == "GET":
            limit = request.query_params.get("limit", "20")
            if not limit.isdigit() or not 1 <= int(limit) < 100:
                return _error(400, "limit: 1 to 99")
            return Response(list(pets.values())[: int(limit)], status_code=200, media_type=JSON)
        if credential(request) is None:
            return _error(401, "credentials needed")
        body, refused = await read(request)
        if refused:
            return refused
        pet = {**body, "id": next(ids)}
        pets[pet["id"]] = pet
        return Response(
            pet, status_code=201, media_type=JSON, headers={"Location": f"/pets/{pet['id']}"}
        )

    @route("/pets/{pet_id:str}", http_method=["GET", "PUT", "DELETE"], status_code=200)
    async def pet_route(request: Request[Any, Any, Any], pet_id: FromPath[str]) -> Response[Any]:
        key = int(pet_id) if pet_id.isdigit() else -1
        if credential(request) is None:
            return _error(401, "credentials needed")
        if key not in pets:
            seen = {"seen": request.headers.get("authorization")} if echo_credentials else {}
            return Response(seen, media_type=JSON) if faulty else _error(404, "no such pet")
        if request.method == "GET":
            return Response(pets[key], media_type=JSON)
        if request.method == "DELETE":
            if credential(request) == LIMITED_TOKEN and not faulty:
                return _error(403, "not allowed")
            del pets[key]
            return Response(None, status_code=204)
        if len(request.headers.get("x-trace", "")) < 8:
            return _error(400, "X-Trace: at least 8 characters")
        body, refused = await read(request)
        if refused:
            return refused
        if not faulty:
            pets[key] = {**body, "id": key}
        return Response(None, status_code=200)

    return Litestar([pets_route, pet_route], openapi_config=None)


@contextmanager
def serving(faulty: bool = False, echo_credentials: bool = False) -> Iterator[str]:
    """The base URL of a fresh petstore on a loopback socket bound before the server starts
    (no race for the port), until the block ends."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            petstore_app(faulty, echo_credentials),
            log_level="critical",
            access_log=False,
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the petstore server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
