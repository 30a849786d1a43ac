"""mifs.plotting: every plot renders to a non-trivial PNG and shows the right numbers."""

import builtins
import importlib
import importlib.util
import math
import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from mifs import KSGEstimator, MIRanker, MRMRSelector, pairwise_mutual_information
from mifs.information import discrete_entropy, discrete_mutual_information

needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None, reason="matplotlib (the plot extra) is not installed"
)
INSTALL_HINT = 'pip install "mifs[plot]"'


@pytest.fixture(scope="module")
def data():
    """Four informative features of different strength, a copy, and noise."""
    rng = np.random.default_rng(0)
    n = 600
    X = rng.standard_normal((n, 6))
    X[:, 4] = X[:, 0] + 0.05 * rng.standard_normal(n)  # nearly a copy of x0
    y = (X[:, 0] + 0.7 * X[:, 1] + 0.4 * X[:, 2] + 0.5 * rng.standard_normal(n) > 0).astype(int)
    return X, y


@pytest.fixture(scope="module")
def frame(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    return pd.DataFrame(X, columns=["alpha", "beta", "gamma", "delta", "alpha copy", "noise"]), y


def check_png(ax, path):
    """Save the figure of ``ax`` and check that the image is not blank."""
    from matplotlib.image import imread

    ax.figure.savefig(path, dpi=80)
    assert path.stat().st_size > 5_000
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    colours = np.unique(image.reshape(-1, image.shape[2]), axis=0)
    assert len(colours) > 10  # bars, text and lines, not one flat colour
    assert image[..., :3].std() > 0.05


# --------------------------------------------------------------------------
# rendering


@needs_matplotlib
def test_every_plot_renders_to_png(data, tmp_path):
    from mifs.plotting import plot_information_diagram, plot_mi_matrix, plot_scores, plot_selection_path

    X, y = data
    ranker = MIRanker(k=3, n_permutations=19, random_state=0).fit(X, y)
    selector = MRMRSelector(4, criterion="jmi", random_state=0).fit(X, y)
    rng = np.random.default_rng(1)
    a = rng.integers(0, 4, 800)
    axes = {
        "scores": plot_scores(ranker),
        "path": plot_selection_path(selector),
        "diagram": plot_information_diagram(a, (a + rng.integers(0, 2, 800)) % 4),
        "matrix": plot_mi_matrix(X, estimator=KSGEstimator(random_state=0)),
    }
    for name, ax in axes.items():
        assert type(ax).__name__ == "Axes"
        check_png(ax, tmp_path / f"{name}.png")


@needs_matplotlib
def test_plots_draw_on_the_axes_given(data):
    import matplotlib.pyplot as plt

    from mifs.plotting import plot_information_diagram, plot_mi_matrix, plot_scores, plot_selection_path

    X, y = data
    fig, axes = plt.subplots(2, 2)
    selector = MRMRSelector(3, random_state=0).fit(X, y)
    assert plot_scores(selector, ax=axes[0, 0]) is axes[0, 0]
    assert plot_selection_path(selector, ax=axes[0, 1]) is axes[0, 1]
    assert plot_information_diagram(y, X[:, 0] > 0, ax=axes[1, 0]) is axes[1, 0]
    assert plot_mi_matrix(X[:, :3], ax=axes[1, 1]) is axes[1, 1]
    assert len(fig.axes) == 5  # the four panels and the colourbar of the matrix


# --------------------------------------------------------------------------
# plot_scores


@needs_matplotlib
def test_scores_of_a_ranker_best_on_top_with_pvalues(frame):
    from mifs.plotting import plot_scores

    X, y = frame
    ranker = MIRanker(k=3, n_permutations=39, random_state=0).fit(X, y)
    ax = plot_scores(ranker, top=5)
    assert len(ax.patches) == 5
    order = np.argsort(ranker.ranking_)[:5]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(X.columns[order])
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], ranker.scores_[order])
    # the best bar is drawn at the top: matplotlib's y axis is inverted
    assert ax.yaxis_inverted() and ax.patches[0].get_y() < ax.patches[-1].get_y()
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"p = {p:.3f}" for p in ranker.pvalues_[order]]
    # significant bars and the others in two colours, explained by the legend
    significant = ranker.pvalues_[order] < ranker.alpha
    assert significant.any() and not significant.all()
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert len({c for c, s in zip(colours, significant) if s}) == 1
    assert {c for c, s in zip(colours, significant) if s}.isdisjoint(
        {c for c, s in zip(colours, significant) if not s}
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["p < 0.05", "p \u2265 0.05"]


@needs_matplotlib
def test_scores_without_pvalues_and_from_arrays(data, frame):
    import pandas as pd

    from mifs.plotting import plot_scores

    X, y = data
    scores = np.array([0.1, 0.5, 0.0, 0.3, 0.5])
    ax = plot_scores(scores)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x4", "x3", "x0", "x2"]  # ties in column order
    assert not ax.texts and ax.get_legend() is None
    ax = plot_scores(pd.Series(scores, index=list("abcde")), top=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "e"]
    ax = plot_scores(scores, top=None)
    assert len(ax.patches) == 5
    # a KSGEstimator's mi_ and an MRMRSelector's relevance, with their names
    Xf, yf = frame
    est = KSGEstimator(random_state=0).fit(Xf, yf)
    ax = plot_scores(est, top=None)
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(Xf.columns)
    np.testing.assert_allclose(sorted(b.get_width() for b in ax.patches), np.sort(est.mi_))
    selector = MRMRSelector(2, random_state=0).fit(X, y)
    ax = plot_scores(selector, top=3)
    np.testing.assert_allclose([b.get_width() for b in ax.patches], np.sort(selector.scores_)[::-1][:3])


@needs_matplotlib
def test_scores_errors(data):
    from mifs.plotting import plot_scores

    for unfitted in (MIRanker(), MRMRSelector(), KSGEstimator()):
        with pytest.raises(NotFittedError, match="not fitted yet"):
            plot_scores(unfitted)
    with pytest.raises(TypeError, match="MIRanker"):
        plot_scores(MIRanker)  # the class, not an instance
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(TypeError, match="LogisticRegression"):
        plot_scores(LogisticRegression())
    with pytest.raises(TypeError, match="numbers"):
        plot_scores(["a", "b"])
    with pytest.raises(ValueError, match="1-D"):
        plot_scores(np.ones((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        plot_scores([0.1, np.nan])
    with pytest.raises(ValueError, match="no scores"):
        plot_scores([])
    for top in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="top"):
            plot_scores([0.1, 0.2], top=top)


# --------------------------------------------------------------------------
# plot_selection_path


@needs_matplotlib
def test_selection_path_lines_and_names(frame):
    from mifs.plotting import plot_selection_path

    X, y = frame
    selector = MRMRSelector(4, criterion="mid", random_state=0).fit(X, y)
    ax = plot_selection_path(selector)
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["relevance", "redundancy", "criterion"]
    for line, values in zip(handles, (selector.relevance_, selector.redundancy_, selector.criterion_)):
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(line.get_ydata(), values)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(X.columns[selector.selected_features_])
    first_two = {t.get_text() for t in ax.get_xticklabels()[:2]}
    assert not {"alpha", "alpha copy"} <= first_two  # mid does not take both copies first


@needs_matplotlib
def test_selection_path_miq_criterion_on_its_own_axis(data):
    from mifs.plotting import plot_selection_path

    X, y = data
    selector = MRMRSelector(3, criterion="miq", random_state=0).fit(X, y)
    ax = plot_selection_path(selector)
    assert [line.get_label() for line in ax.right_ax.get_lines()] == ["criterion"]
    np.testing.assert_allclose(ax.right_ax.get_lines()[0].get_ydata(), selector.criterion_)
    assert "ratio" in ax.right_ax.get_ylabel() or "/" in ax.right_ax.get_ylabel()


@needs_matplotlib
def test_selection_path_errors(data):
    from mifs.plotting import plot_selection_path

    X, y = data
    with pytest.raises(NotFittedError, match="not fitted yet"):
        plot_selection_path(MRMRSelector())
    with pytest.raises(TypeError, match="MRMRSelector"):
        plot_selection_path(MIRanker(k=2).fit(X, y))
    rng = np.random.default_rng(0)
    with pytest.warns(UserWarning, match="selected no feature"):
        empty = MRMRSelector("auto", random_state=0).fit(rng.standard_normal((200, 3)), rng.integers(0, 2, 200))
    with pytest.raises(ValueError, match="selected no feature"):
        plot_selection_path(empty)


# --------------------------------------------------------------------------
# plot_information_diagram


def _diagram_values(ax):
    """The five values written in the diagram, by their names."""
    values = {}
    for text in ax.texts:
        content = text.get_text()
        head, _, rest = content.partition("\n")
        if " = " in head:  # "H(X) = 1.234"
            name, value = head.split(" = ")
        else:  # "I(X;Y)\n0.123"
            name, value = head, rest
        values[name] = float(value)
    return values


@needs_matplotlib
@pytest.mark.parametrize("base", [math.e, 2])
def test_information_diagram_values_are_the_plugin_estimates(base):
    from matplotlib.patches import Circle

    from mifs.plotting import plot_information_diagram

    rng = np.random.default_rng(0)
    x = rng.choice(["a", "b", "c"], 2000, p=[0.5, 0.3, 0.2])
    y = np.where(rng.random(2000) < 0.7, x, rng.choice(["a", "b"], 2000))
    ax = plot_information_diagram(x, y, base=base, decimals=4)
    hx, hy = discrete_entropy(x, base=base), discrete_entropy(y, base=base)
    mi = discrete_mutual_information(x, y, base=base)
    values = _diagram_values(ax)
    assert values == pytest.approx(
        {"H(X)": hx, "H(Y)": hy, "I(X;Y)": mi, "H(X|Y)": hx - mi, "H(Y|X)": hy - mi}, abs=6e-5
    )
    unit = "nats" if base == math.e else "bits"
    assert f"H(X,Y) = {hx + hy - mi:.4f} {unit}" in ax.get_title()
    # areas: the discs are H(X) and H(Y), their overlap I(X;Y), checked on a grid
    discs = [p for p in ax.patches if isinstance(p, Circle)]
    (c1, r1), (c2, r2) = [(np.array(d.center), d.radius) for d in discs]
    assert r1**2 / r2**2 == pytest.approx(hx / hy)
    grid = np.linspace(-1.0, 1.0, 1501) * (r1 + r2 + abs(c2[0]))
    gx, gy = np.meshgrid(grid, grid)
    cell = (grid[1] - grid[0]) ** 2
    in1 = (gx - c1[0]) ** 2 + (gy - c1[1]) ** 2 <= r1**2
    in2 = (gx - c2[0]) ** 2 + (gy - c2[1]) ** 2 <= r2**2
    assert (in1 & in2).sum() * cell / (math.pi * r1**2) == pytest.approx(mi / hx, abs=0.01)


@needs_matplotlib
def test_information_diagram_independent_and_nested():
    from matplotlib.patches import Circle

    from mifs.plotting import plot_information_diagram

    rng = np.random.default_rng(3)
    a = rng.integers(0, 8, 4000)
    ax = plot_information_diagram(a, a // 2)  # Y is a function of X: I(X;Y) = H(Y)
    values = _diagram_values(ax)
    assert values["H(Y|X)"] == 0.0
    assert values["I(X;Y)"] == pytest.approx(values["H(Y)"], abs=1e-3)
    (c1, r1), (c2, r2) = [(d.center[0], d.radius) for d in ax.patches if isinstance(d, Circle)]
    assert abs(c2 - c1) + r2 <= r1 + 1e-9  # the smaller disc lies inside
    # columns of a DataFrame keep their names, booleans are labels
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"coin": rng.integers(0, 2, 500).astype(bool), "die": rng.integers(1, 7, 500)})
    ax = plot_information_diagram(df["coin"], df["die"])
    assert "X: coin" in ax.texts[0].get_text() and "Y: die" in ax.texts[1].get_text()
    assert _diagram_values(ax)["I(X;Y)"] == pytest.approx(
        discrete_mutual_information(df["coin"], df["die"]), abs=5e-4
    )


@needs_matplotlib
def test_information_diagram_continuous_needs_bins():
    pd = pytest.importorskip("pandas")
    from mifs.plotting import plot_information_diagram

    rng = np.random.default_rng(0)
    x = rng.standard_normal(3000)
    y = x + rng.standard_normal(3000)
    with pytest.raises(ValueError, match="bins"):
        plot_information_diagram(x, y)
    ax = plot_information_diagram(x, y, bins=6, decimals=4)
    # the binned variables are pandas' quantile bins
    bx, by = pd.qcut(x, 6, labels=False), pd.qcut(y, 6, labels=False)
    values = _diagram_values(ax)
    assert values["H(X)"] == pytest.approx(discrete_entropy(bx), abs=6e-5)
    assert values["H(X)"] == pytest.approx(math.log(6), abs=1e-3)
    assert values["I(X;Y)"] == pytest.approx(discrete_mutual_information(bx, by), abs=6e-5)
    # below the true I(X;Y) = -1/2 log(1 - 1/2) of the continuous variables
    assert values["I(X;Y)"] < 0.5 * math.log(2)
    assert "X and Y in 6 quantile bins" in ax.get_title()
    # floats holding whole numbers are labels, no bins needed
    ax = plot_information_diagram(np.round(x), np.round(y))
    assert _diagram_values(ax)["H(X)"] == pytest.approx(discrete_entropy(np.round(x)), abs=6e-4)


@needs_matplotlib
def test_information_diagram_errors():
    from mifs.plotting import plot_information_diagram

    with pytest.raises(ValueError, match="same length"):
        plot_information_diagram([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="1-D"):
        plot_information_diagram(np.zeros((3, 2)), [0, 1, 1])
    with pytest.raises(ValueError, match="empty"):
        plot_information_diagram([], [])
    with pytest.raises(ValueError, match="bins"):
        plot_information_diagram([0.5, 1.5], [0, 1], bins=1)
    with pytest.raises(ValueError, match="NaN"):
        plot_information_diagram([0.5, np.nan], [0, 1], bins=2)
    with pytest.raises(ValueError, match="names"):
        plot_information_diagram([0, 1], [0, 1], names=("a",))


# --------------------------------------------------------------------------
# plot_mi_matrix


@needs_matplotlib
def test_mi_matrix_from_X_equals_pairwise_mutual_information(data):
    from mifs.plotting import plot_mi_matrix

    X, _ = data
    est = KSGEstimator(random_state=0)
    ax = plot_mi_matrix(X, estimator=est)
    expected = pairwise_mutual_information(X, estimator=est)
    shown = ax.images[0].get_array()
    off = ~np.eye(6, dtype=bool)
    np.testing.assert_allclose(shown.data[off], expected[off])
    assert shown.mask[~off].all() and not shown.mask[off].any()  # diagonal masked
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"x{j}" for j in range(6)]
    colourbar = ax.images[0].colorbar
    assert colourbar is not None and "nats" in colourbar.ax.get_ylabel()
    assert ax.images[0].norm.vmin == 0.0 and ax.images[0].norm.vmax == pytest.approx(expected[off].max())
    # six features: every off-diagonal value is written in its cell, the NaN diagonal left blank
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v:.2f}" for v in expected[off])


@needs_matplotlib
def test_mi_matrix_precomputed_dataframe_with_discrete_diagonal():
    pd = pytest.importorskip("pandas")
    from mifs.plotting import plot_mi_matrix

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"colour": rng.choice(["red", "green", "blue"], 400), "size": rng.standard_normal(400)})
    df["weight"] = df["size"] + (df["colour"] == "red")
    m = pairwise_mutual_information(df, estimator=KSGEstimator(random_state=0))
    ax = plot_mi_matrix(m)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["colour", "size", "weight"]
    np.testing.assert_allclose(ax.images[0].get_array().data, m.to_numpy())
    texts = [t.get_text() for t in ax.texts]
    assert f"H={discrete_entropy(df['colour']):.2f}" in texts  # H(colour) on the diagonal
    assert len(texts) == 7  # six off-diagonal values and one discrete diagonal entry
    # the same matrix as a plain array, forced precomputed, with names given
    ax = plot_mi_matrix(m.to_numpy(), precomputed=True, names=["c", "s", "w"], annotate=False)
    assert not ax.texts and [t.get_text() for t in ax.get_yticklabels()] == ["c", "s", "w"]


@needs_matplotlib
def test_mi_matrix_errors(data):
    from mifs.plotting import plot_mi_matrix

    X, _ = data
    with pytest.raises(ValueError, match="square symmetric"):
        plot_mi_matrix(X, precomputed=True)
    with pytest.raises(TypeError, match="precomputed=True"):
        plot_mi_matrix(np.eye(3), precomputed=True, estimator=KSGEstimator())
    with pytest.raises(TypeError, match="KSGEstimator"):
        plot_mi_matrix(X, estimator=MIRanker())
    with pytest.raises(ValueError, match="names"):
        plot_mi_matrix(X[:, :3], names=["a"])
    with pytest.raises(ValueError, match="precomputed"):
        plot_mi_matrix(X, precomputed="yes")
    # a square feature matrix that is not symmetric is data, not a matrix of MI
    square = np.random.default_rng(0).standard_normal((8, 8))
    ax = plot_mi_matrix(square)
    assert ax.images[0].get_array().shape == (8, 8)
    np.testing.assert_allclose(
        ax.images[0].get_array().data[~np.eye(8, dtype=bool)],
        pairwise_mutual_information(square)[~np.eye(8, dtype=bool)],
    )


# --------------------------------------------------------------------------
# without matplotlib


def _all_plots(data):
    from mifs import plotting

    X, y = data
    return [
        lambda: plotting.plot_scores([0.1, 0.2]),
        lambda: plotting.plot_selection_path(MRMRSelector(2).fit(X, y)),
        lambda: plotting.plot_information_diagram([0, 1, 1], [1, 0, 1]),
        lambda: plotting.plot_mi_matrix(X[:, :3]),
    ]


def test_import_error_names_the_extra_when_matplotlib_is_missing(data, monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes "import matplotlib" fail
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    for plot in _all_plots(data):
        with pytest.raises(ImportError, match=r'pip install "mifs\[plot\]"'):
            plot()


def test_module_imports_without_matplotlib(data, monkeypatch):
    real_import = builtins.__import__

    def blocked(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", blocked)
    import mifs.plotting

    module = importlib.reload(mifs.plotting)  # importing the module itself needs no matplotlib
    with pytest.raises(ImportError) as info:
        module.plot_scores([0.3, 0.1])
    assert INSTALL_HINT in str(info.value)
    assert isinstance(info.value.__cause__, ModuleNotFoundError)
