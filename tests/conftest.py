import os

import pytest

import sim


def pytest_addoption(parser):
    parser.addoption("--battery-full", action="store_true", help="the big run of tests/test_battery.py")


def pytest_configure(config):
    if config.getoption("--battery-full"):
        os.environ["EXODUS_BATTERY"] = "full"  # read when tests/test_battery.py is imported


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
