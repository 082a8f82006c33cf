"""The model's fingerprint: blind to comments and docstrings, sensitive to code, and the shipped posterior's."""

from sim.calibration import posterior
from sim.model.version import MODEL_MODULES, code_text, model_fingerprint

SOURCE = '''"""A module."""

def hazard(x):
    """The daily hazard."""
    return 2 * x  # doubled
'''


def test_comments_docstrings_and_layout_do_not_change_the_code_text():
    edited = SOURCE.replace("# doubled", "# twice").replace('"""The daily hazard."""', '"""Another word."""')
    edited = edited.replace("return 2 * x", "return (2 *\n            x)")
    assert code_text(edited) == code_text(SOURCE)


def test_a_change_of_code_changes_the_code_text():
    assert code_text(SOURCE.replace("2 * x", "3 * x")) != code_text(SOURCE)
    assert code_text(SOURCE.replace("def hazard(x):", "def hazard(x, y=0):")) != code_text(SOURCE)


def test_the_module_list_exists_and_the_fingerprint_is_stable():
    from importlib import resources

    for name in MODEL_MODULES:
        assert resources.files("sim").joinpath(name).is_file(), name
    assert model_fingerprint() == model_fingerprint() and len(model_fingerprint()) == 16


def test_the_shipped_posterior_was_fitted_to_the_current_model():
    """If this fails, the model changed since the posterior was fitted: refit it with
    `exodus-calibrate --preset full --install` (docs/calibration.md)."""
    shipped = posterior.load(posterior.resolve_path("xai"))
    assert shipped.meta["model_fingerprint"] == model_fingerprint()
