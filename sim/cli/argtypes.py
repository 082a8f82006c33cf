"""argparse types shared by the commands: values refused at parsing, with the option and the allowed values."""

from __future__ import annotations

import argparse
import math


def finite_float(text: str) -> float:
    """A finite number (`nan` and `inf` parse as floats but mean nothing as a goal or a threshold)."""
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: a finite number")
    return x
