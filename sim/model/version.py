"""The model's fingerprint: a hash of the code that decides a run's output and the calibration's statistics.

It hashes each module's syntax tree with docstrings removed (comments never reach the tree), so editing a
comment, a docstring or the layout of a line leaves it unchanged, while any change to what the code does
changes it. A resumable sweep reruns finished runs, and `exodus-calibrate` flags the shipped posterior, when
the fingerprint they were made with differs.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from importlib import resources

# the one list: every module whose code decides a run's tables or the statistics the posterior was fitted to (every
# file of sim/model/ and its subpackages, of sim/levers/, then these)
DECIDING = (
    "schema.py",
    "config/params.py",
    "config/resolve.py",
    "config/defaults.py",
    "run/simulate.py",
    "run/results.py",
    "config/freeparams.py",
    "config/load.py",
    "config/posterior.py",
    "config/registry.py",
    "config/leverpriors.py",
    "run/world.py",
    "calibration/targets.py",
    "roster/config.py",  # a user's roster: the config it implies, its staff, its reading and its survival prior
    "roster/workforce.py",
    "roster/load.py",
    "roster/schema.py",
    "roster/prior.py",
)


def _python_files(folder, prefix: str) -> list[str]:
    """Every .py file under `folder` (a resources Traversable), its subpackages included, as `prefix/...` paths."""
    out = []
    for p in folder.iterdir():
        if p.is_dir() and p.joinpath("__init__.py").is_file():
            out += _python_files(p, f"{prefix}/{p.name}")
        elif p.name.endswith(".py"):
            out.append(f"{prefix}/{p.name}")
    return out


def _model_modules() -> tuple[str, ...]:
    model = sorted(_python_files(resources.files("sim").joinpath("model"), "model"))
    levers = sorted(_python_files(resources.files("sim").joinpath("levers"), "levers"))
    return (*model, *levers, *DECIDING)


MODEL_MODULES = _model_modules()


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def code_text(source: str) -> str:
    """The code of a module without comments, docstrings or layout (what the fingerprint hashes)."""
    return ast.unparse(_strip_docstrings(ast.parse(source)))


@functools.cache
def model_fingerprint() -> str:
    """A short hash of the model's code (MODEL_MODULES, comments and docstrings stripped)."""
    package = resources.files("sim")
    digest = hashlib.sha256()
    for name in MODEL_MODULES:
        digest.update(name.encode())
        digest.update(code_text(package.joinpath(name).read_text()).encode())
    return digest.hexdigest()[:16]
