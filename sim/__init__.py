"""exodus: an agent-based model of talent attrition at a frontier AI lab."""

from .model import AttritionModel
from .params import ModelParams, RunConfig
from .results import Result
from .run import simulate


def compose(overrides: list[str] | None = None):
    """Compose a config from `conf/` with Hydra-style overrides, e.g. ["seed=3", "policy=retention_bonus"]."""
    from .cli import compose as _compose

    return _compose(overrides)


__all__ = ["AttritionModel", "ModelParams", "Result", "RunConfig", "compose", "simulate"]
