"""Names and ids never leave the run: outside it a person is a salted hash of their id."""

from __future__ import annotations

import hashlib

import pandas as pd


def pseudonym(ids: pd.Series, salt: str) -> pd.Series:
    """Each id as the first 12 hex digits of SHA-256(salt, id): stable for one salt, not reversible without it."""
    return ids.map(lambda i: "p-" + hashlib.sha256(f"{salt}\x1f{i}".encode()).hexdigest()[:12])
