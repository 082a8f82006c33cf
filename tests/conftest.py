import pytest

import sim


@pytest.fixture(scope="session")
def compose():
    """sim.compose, with the default config composed once per override list."""
    cache = {}

    def _compose(*overrides):
        key = tuple(overrides)
        if key not in cache:
            cache[key] = sim.compose(list(overrides))
        return cache[key]

    return _compose


def base_only(*extra):
    """Overrides for a lab with only the base hazard, plus `extra`."""
    return ("mechanisms=none", *extra)
