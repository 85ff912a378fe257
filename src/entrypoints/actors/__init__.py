"""Dramatiq actors, one module per kind of background work.

Each module has `register(broker, deps) -> frozenset[str]`: it declares its actors on the broker
and returns the outbox topics they handle, which `entrypoints.worker.register_actors` collects
for the relay. An actor is a few lines (rule 7 of DESIGN.md): it takes ids, builds its use case
with a fresh unit of work, calls it, and is idempotent because delivery is at least once.
"""
