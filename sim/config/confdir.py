"""Where the configs are: one answer for a source checkout, an editable install and an installed wheel.

`conf/` lives at the repository's root; a wheel ships it inside the package as `sim/conf/` (pyproject.toml maps
it there). EXODUS_CONF replaces the whole folder; `hydra.searchpath=[file:///my/conf]` adds one beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "EXODUS_CONF"


def package_dir() -> Path:
    """The folder of the top-level `sim` package (this file is sim/config/confdir.py; not `import sim`, which
    would make the config layer import the package's top)."""
    return Path(__file__).resolve().parents[1]


def conf_dir() -> Path:
    """EXODUS_CONF if set, else the configs shipped in the package (a wheel), else the repository's `conf/`."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).resolve()
    shipped = package_dir() / "conf"
    if (shipped / "config.yaml").is_file():
        return shipped
    return package_dir().parent / "conf"
