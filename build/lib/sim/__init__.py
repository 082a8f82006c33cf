"""exodus: an agent-based model of talent attrition at a frontier AI lab."""

from .params import ModelParams, RunConfig

_LAZY = {"AttritionModel": ".model", "Result": ".results", "simulate": ".run"}


def __getattr__(name: str):
    """The model and its runner are imported on first use (Mesa and numba take a second to import)."""
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    try:  # a submodule, as `import sim; sim.model` found it when this file imported the model
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":  # the submodule exists but needs something missing
            raise
        raise AttributeError(f"module 'sim' has no attribute {name!r}") from None


def compose(overrides: list[str] | None = None):
    """Compose a config from `conf/` with Hydra-style overrides, e.g. ["seed=3", "policy=retention_bonus"]."""
    from .cli import compose as _compose

    return _compose(overrides)


__all__ = ["AttritionModel", "ModelParams", "Result", "RunConfig", "compose", "simulate"]
