"""``import mifs`` is cheap: the public names load on first use."""

import subprocess
import sys

import mifs


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


def test_import_mifs_loads_neither_scipy_integrate_nor_sklearn_nor_numba():
    loaded = _modules_after("import mifs")
    assert "mifs" in loaded
    assert not {m for m in loaded if m.startswith(("scipy.integrate", "sklearn", "numba", "pandas"))}


def test_public_names_load_on_first_use():
    loaded = _modules_after("import mifs\nmifs.KSGEstimator")
    assert "mifs._ksg" in loaded and "mifs._mrmr" not in loaded
    for name in mifs.__all__:
        assert getattr(mifs, name) is not None
    assert set(mifs.__all__) <= set(dir(mifs))
    assert mifs.information.entropy is not None and mifs.bounds.fano_error_lower_bound is not None
    from mifs import KSGEstimator, MIRanker  # noqa: F401  (the usual spelling)


def test_unknown_attribute_is_an_attribute_error():
    try:
        mifs.NotAThing  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("no AttributeError")
