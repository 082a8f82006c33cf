"""The one error a bad config value raises: it names the field, the value and what is allowed.

Its own module, below the schema (params.py) and the bounds table (bounds.py), so both can raise it."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config value outside its allowed range; the message names the field."""

    def __init__(self, field_name: str, value: object, allowed: str):
        self.field, self.value, self.allowed = field_name, value, allowed
        super().__init__(f"{field_name}={value!r} is not allowed: {allowed}")

    def __reduce__(self):
        """Pickled with its own arguments, so an error raised in a worker process reaches the parent intact."""
        return type(self), (self.field, self.value, self.allowed)
