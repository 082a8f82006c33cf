"""exodus: an agent-based model of talent attrition at a frontier AI lab."""

from .params import ModelParams, RunConfig

_LAZY = {"AttritionModel": ".model", "Result": ".results", "simulate": ".run"}


def __getattr__(name: str):
    """The model and its runner are imported on first use (Mesa and numba take a second to import)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def compose(overrides: list[str] | None = None):
    """Compose a config from `conf/` with Hydra-style overrides, e.g. ["seed=3", "policy=retention_bonus"]."""
    from .cli import compose as _compose

    return _compose(overrides)


__all__ = ["AttritionModel", "ModelParams", "Result", "RunConfig", "compose", "simulate"]
