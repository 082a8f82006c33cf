"""`roster=PATH` on a command line is shorthand for `roster.path=PATH` (Hydra cannot set a group and its fields with
one key); kept apart from the roster's reading so that commands rewrite their arguments without importing pandera."""

from __future__ import annotations

import re

SHORTHAND = re.compile(r"^(\+{0,2})roster=(.*)$")


def rewrite_overrides(overrides: list[str]) -> list[str]:
    """`roster=PATH` -> `roster.path=PATH`; other overrides unchanged."""
    return [SHORTHAND.sub(r"\1roster.path=\2", o) for o in overrides]
