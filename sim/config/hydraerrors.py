"""A Hydra or OmegaConf error told in one line, naming the override it is about (for `sim.compose` and the guard)."""

from __future__ import annotations

import re

import yaml


def one_line(exc: BaseException) -> str:
    """A Hydra or OmegaConf error as one line: its first line, the key it concerns and its cause's first line (or,
    for a field that was removed, what replaced it)."""
    if isinstance(exc, yaml.YAMLError):
        return "YAML syntax error: " + " ".join(str(exc).split())
    removed = _removed(exc)
    if removed:
        return removed
    parts = []
    for e in (exc, exc.__cause__):
        if e is None:
            continue
        text = " ".join(str(e).split("\n")[0].split()).rstrip(":")
        key = getattr(e, "full_key", None)
        if key and key not in text:
            text = f"{key}: {text}"
        if text and text not in parts:
            parts.append(text)
    text = str(exc).split("Config search path")[0]
    found = re.search(r"full_key: (\S+)", text)
    if found and found.group(1) not in " ".join(parts):
        detail = [ln.strip() for ln in text.splitlines()[1:] if ln.strip() and ":" not in ln.strip()[:12]]
        parts.append(f"{found.group(1)}: {detail[0] if detail else 'refused'}")
    rest = [ln.strip() for ln in text.splitlines()[1:] if ln.strip()]
    if rest and len(rest) <= 60 and "Available options" in text:
        parts.append("available: " + ", ".join(r for r in rest if not r.startswith("Available")))
    return "; ".join(parts) or type(exc).__name__


def _removed(exc: BaseException) -> str:
    """Why a key that OmegaConf refuses is gone, if it is a removed field (`sim.config.params.REMOVED`)."""
    from sim.config.params import REMOVED

    for e in (exc, exc.__cause__):
        found = re.search(r"Key '(\w+)' not in '(\w+)'", str(e or ""))
        if found and (found.group(2), found.group(1)) in REMOVED:
            key = getattr(e, "full_key", None) or found.group(1)
            return f"{key}: {REMOVED[found.group(2), found.group(1)]}"
    return ""


def culprit(exc: BaseException, overrides: list[str]) -> tuple[str, str]:
    """The override an error is about (its key and value), or the whole command line."""
    text = f"{exc} {exc.__cause__ or ''}"
    key = getattr(exc.__cause__, "full_key", None) or getattr(exc, "full_key", None)
    for line in reversed(overrides):
        k, _, v = line.partition("=")
        bare = k.lstrip("+~")
        for one in v.split(","):
            if line in text or (key and bare == key) or f"'{bare}/{one}'" in text or f"/{bare}/{one}.yaml" in text:
                return bare, one if f"{bare}/{one}" in text else v
    found = re.search(r"full_key: (\S+)", text)
    value = re.search(r"Value '([^']*)'", text)
    if found:
        return found.group(1), value.group(1) if value else "(from a config file)"
    return "command line", " ".join(overrides)
