"""The seeded faults: each variant of the inventory API breaks its spec in exactly one place.

`CORRECT` is the variant that satisfies the spec; a name from `FAULTS` selects one fault in
`benchmarks.testgen.inventory.inventory_app`, which checks `fault == NAME` at the one spot it
breaks.
"""

from __future__ import annotations

from attrs import frozen

CORRECT = "correct"


@frozen
class Fault:
    name: str
    description: str  # what a reader of the table is told the variant gets wrong


FAULTS = (
    Fault("quantity_max_off_by_one", "accepts quantity 1001 (maximum 1000)"),
    Fault("name_max_off_by_one", "refuses a 40-character name (maxLength 40)"),
    Fault("required_status_unchecked", "create without `status` is accepted"),
    Fault("create_returns_200", "create answers 200 instead of 201"),
    Fault("auth_bypass_get", "GET /items/{id} answers without a token"),
    Fault("forbidden_bypass_create", "the read-only token may create items"),
    Fault("zero_quantity_500", "500 on quantity 0"),
    Fault("empty_tags_500", "500 on an empty tag list"),
    Fault("quantity_as_text", "GET /items/{id} sends quantity as a string"),
    Fault("lost_update", "update answers the new item but keeps the old quantity"),
    Fault("unknown_id_500", "500 instead of 404 on an unknown id"),
    Fault("update_unknown_upserts", "update of an unknown id answers 200"),
    Fault("status_enum_unchecked", "any text accepted as `status`"),
    Fault("sku_pattern_unchecked", "any text accepted as `sku`"),
    Fault("location_wrong_id", "Location names the next id, not the new one"),
    Fault("delete_keeps_item", "delete answers 204 but the item stays"),
    Fault("date_format_unchecked", "`available_from` accepts an impossible date"),
)

VARIANTS = (CORRECT, *(fault.name for fault in FAULTS))


def fault_named(name: str) -> Fault:
    return next(fault for fault in FAULTS if fault.name == name)
