"""The pure core of creditdesk: business values and decisions, no I/O.

Imports only the standard library, attrs and itself. Time, identifiers and configuration are
passed in, so every function here is deterministic and can be checked by property tests.
"""
