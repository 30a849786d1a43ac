"""mifs: information-theoretic feature selection for scikit-learn."""

__version__ = "0.1.0"

__all__: list[str] = ["__version__"]
