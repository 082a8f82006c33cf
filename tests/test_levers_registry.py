"""Each lever kind is one class in sim/model/levers/, registered under its conf `kind` (issue 23 item 2)."""

import dataclasses

from sim.config.params import LeverConfig
from sim.model.levers import LEVERS, Lever
from sim.schema import LEVER_KINDS, POLICIES


def test_every_lever_kind_has_one_class_and_a_policy():
    assert list(LEVERS) == list(LEVER_KINDS)
    for kind, cls in LEVERS.items():
        assert issubclass(cls, Lever) and cls.kind == kind and kind in POLICIES
        assert cls.__module__ == f"sim.model.levers.{kind}"  # one module per kind


def test_each_lever_names_only_fields_of_the_lever_config():
    known = {f.name for f in dataclasses.fields(LeverConfig)}
    for cls in LEVERS.values():
        assert cls.fields and set(cls.fields) <= known, cls.kind
