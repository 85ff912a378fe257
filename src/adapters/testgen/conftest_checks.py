"""The second half of every rendered `conftest.py`: the checks on response bodies.

Which schema the spec documents for the status received (exact, class like `4XX`, `default`),
and validation against it with jsonschema: OpenAPI 3.0 documents are rewritten first (`nullable`
and boolean exclusive bounds are not JSON Schema) and checked as draft 7, 3.1 as 2020-12. The
whole spec is the validator's root, so every `$ref` in it resolves; a required write-only
property is not required of a response. See `conftest_template.py` for the first half.
"""

BODY_CHECKS = '''def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _documented_schema(method: str, path: str, response: httpx.Response) -> str | None:
    """The pointer to the JSON schema the spec documents for the status received: the exact
    status, else its class ("4XX"), else "default"; None when none is documented as JSON."""
    at = f"#/paths/{_escape(path)}"
    item = _pointer(SPEC, at[1:])
    while isinstance(item, Mapping) and "$ref" in item:
        at = item["$ref"]
        item = _pointer(SPEC, at[1:])
    operation = item.get(method.lower()) if isinstance(item, Mapping) else None
    responses = operation.get("responses") if isinstance(operation, Mapping) else None
    if not isinstance(responses, Mapping) or method.upper() == "HEAD":
        return None
    status = response.status_code
    at = f"{at}/{_escape(method.lower())}/responses"
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key not in responses:
            continue
        found, found_at = responses[key], f"{at}/{key}"
        while isinstance(found, Mapping) and "$ref" in found:
            found_at = found["$ref"]
            found = _pointer(SPEC, found_at[1:])
        content = found.get("content") if isinstance(found, Mapping) else None
        media = _json_media(content, response) if isinstance(content, Mapping) else None
        return None if media is None else f"{found_at}/content/{_escape(media)}/schema"
    return None


def _json_media(content: Mapping[str, Any], response: httpx.Response) -> str | None:
    received = response.headers.get("content-type", "").split(";")[0].strip().lower()
    candidates = sorted(
        media
        for media, entry in content.items()
        if (media.lower() == "application/json" or media.lower().endswith("+json"))
        and isinstance(entry, Mapping)
        and "schema" in entry
    )
    if received in candidates:
        return received
    return candidates[0] if candidates else None


def _schema_document(node: Any, openapi_30: bool) -> Any:
    """The spec as JSON Schema validators read it: OpenAPI 3.0's `nullable` and boolean
    exclusive bounds rewritten; a required write-only property not required in responses."""
    if isinstance(node, list):
        return [_schema_document(item, openapi_30) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _schema_document(item, openapi_30) for key, item in node.items()}
    properties, required = out.get("properties"), out.get("required")
    if isinstance(properties, Mapping) and isinstance(required, list):
        out["required"] = [
            name
            for name in required
            if not (isinstance(properties.get(name), Mapping) and properties[name].get("writeOnly"))
        ]
    if not openapi_30:
        return out
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(out.get(flag), bool) and out.pop(flag) and bound in out:
            out[flag] = out.pop(bound)
    if out.get("nullable") is True:
        del out["nullable"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


OPENAPI_30 = str(SPEC.get("openapi", "")).startswith("3.0")
SCHEMA_DOCUMENT = _schema_document(SPEC, OPENAPI_30)
VALIDATOR = jsonschema.Draft7Validator if OPENAPI_30 else jsonschema.Draft202012Validator


def _validate(response: httpx.Response, where: str, pointer: str) -> None:
    data = _json(response, where)
    validator = VALIDATOR({**SCHEMA_DOCUMENT, "$ref": quote(pointer, safe="#/~")})
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        at = "/".join(str(part) for part in error.path)
        pytest.fail(
            f"{where}: the {response.status_code} body breaks {pointer} at /{at}: "
            f"{error.message[:300]}"
        )
'''
