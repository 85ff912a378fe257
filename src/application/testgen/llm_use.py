"""What the test-generation uses of a language model share: the refusal when none is set up.

Writing unit tests and proposing cases are asked for by a person, who should hear at once that
there is no model rather than get an empty result; the settings to set are the entrypoint's to
name (it alone knows them).
"""

from __future__ import annotations

from application.ports import ApplicationError

__all__ = ["LlmNotConfigured"]


class LlmNotConfigured(ApplicationError):
    """This use needs a language model, and none is configured."""

    def __init__(self) -> None:
        super().__init__("no language model is configured")
