"""Each lever kind is one module of sim/levers/ holding its settings and its effect, found by listing the package."""

import dataclasses
import pkgutil

import pytest

import sim.levers
from sim.config.declare import setting
from sim.config.defaults import shipped_policies
from sim.levers import COMMON, LEVERS, SETTINGS, Lever, LeverConfig


def test_every_module_of_the_package_is_one_lever_kind_with_its_settings_and_a_policy():
    modules = sorted(m.name for m in pkgutil.iter_modules(sim.levers.__path__) if m.name != "base")
    assert list(LEVERS) == modules  # nothing else registers a lever
    for kind, cls in LEVERS.items():
        assert issubclass(cls, Lever) and cls.kind == kind and kind in shipped_policies()
        assert cls.__module__ == cls.config.__module__ == f"sim.levers.{kind}"  # one module per kind
        assert issubclass(SETTINGS[kind], LeverConfig) and SETTINGS[kind]().kind == kind


def test_each_lever_declares_its_own_fields_with_meaning_and_range():
    for kind, cls in SETTINGS.items():
        own = [f for f in dataclasses.fields(cls) if f.name not in COMMON]
        assert own, kind
        for f in own:
            assert f.metadata.get("help") and f.metadata.get("bound") is not None, (kind, f.name)


def test_a_lever_whose_kind_is_not_its_module_name_is_refused():
    """The discovery's one rule: a lever's kind names its module (so a conf `kind` finds its code)."""

    @dataclasses.dataclass
    class Misnamed(LeverConfig):
        kind: str = "not_the_module"
        x: float = setting(0.0, None, "x")

    class Stray(Lever):
        config = Misnamed

    assert Stray.kind == "not_the_module"
    with pytest.raises(TypeError, match="kind is its module's name"):
        sim.levers._check_kind(Stray, "some_module")
