"""Command line: ``python -m mifs demo`` and ``python -m mifs rank DATA.csv --target COLUMN``.

Both rank the features of a table by their mutual information with a
target (:class:`mifs.MIRanker`), print the ranking with permutation
p-values, and, for a class target, Fano's lower bound on the error of any
classifier that uses the best feature.  Bad input ends with a one-line
message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import time
import warnings
from dataclasses import dataclass

import numpy as np

BITS = math.log(2)


class CLIError(Exception):
    """An error reported as one line on stderr with exit code 2."""


@dataclass
class Table:
    names: list[str]
    columns: list[np.ndarray]  # float64 for numbers, object for labels


def _parse_columns(names: list[str], rows: list[list[str]]) -> Table:
    """Numbers become floats, anything else labels; blank cells are missing
    (NaN in a numeric column, None in a column of labels)."""
    columns = []
    for j in range(len(names)):
        raw = [row[j].strip() for row in rows]
        try:
            columns.append(np.array([float(v) if v else np.nan for v in raw]))
        except ValueError:
            columns.append(np.array([v if v else None for v in raw], dtype=object))
    return Table(names=names, columns=columns)


def read_csv(path: str) -> Table:
    """Read a CSV file with a header row; numbers become floats, anything else labels."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise CLIError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CLIError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise CLIError(f"{path}: not a UTF-8 text file") from None
    if not text.strip():
        raise CLIError(f"{path}: the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(text), dialect) if row]
    except csv.Error as exc:
        raise CLIError(f"{path}: cannot parse as CSV ({exc})") from None
    header, data = rows[0], rows[1:]
    if not data:
        raise CLIError(f"{path}: the file has a header but no data rows")
    for i, row in enumerate(data):
        if len(row) != len(header):
            raise CLIError(
                f"{path}: data row {i + 1} has {len(row)} fields but the header has {len(header)}"
            )
    if len(set(header)) != len(header):
        raise CLIError(f"{path}: the header repeats a column name")
    return _parse_columns(header, data)


def read_parquet(path: str) -> Table:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CLIError("reading parquet needs pyarrow: pip install pyarrow") from None
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise CLIError(f"{path}: no such file") from None
    except Exception as exc:  # pyarrow raises its own error types
        raise CLIError(f"{path}: cannot read as parquet ({exc})") from None
    if table.num_rows == 0:
        raise CLIError(f"{path}: the file has no rows")
    columns = []
    for name in table.column_names:
        values = table.column(name).to_pylist()
        try:
            columns.append(np.array([np.nan if v is None else v for v in values], dtype=np.float64))
        except (TypeError, ValueError):
            columns.append(np.array([None if v is None else str(v) for v in values], dtype=object))
    return Table(names=list(table.column_names), columns=columns)


def read_table(path: str) -> Table:
    return read_parquet(path) if path.lower().endswith((".parquet", ".pq")) else read_csv(path)


@dataclass
class Ranking:
    names: list[str]
    scores: np.ndarray
    ranking: np.ndarray
    pvalues: np.ndarray | None
    discrete_target: bool
    label_entropy: float | None
    n_classes: int | None
    fano: float | None
    n_samples: int


def rank_table(
    table: Table,
    target: str,
    *,
    discrete: list[str],
    target_type: str,
    n_neighbors: int,
    n_permutations: int,
    random_state: int,
    n_jobs: int | None,
    missing: str = "error",
) -> Ranking:
    """Rank the columns of ``table`` other than ``target`` against it."""
    from mifs import KSGEstimator, MIRanker
    from mifs._base import Features, resolve_discrete, validate_target
    from mifs.bounds import fano_error_lower_bound
    from mifs.information import discrete_entropy

    if target not in table.names:
        raise CLIError(f"unknown target column {target!r}; the columns are: {', '.join(table.names)}")
    unknown = [c for c in discrete if c not in table.names]
    if unknown:
        raise CLIError(f"--discrete names unknown columns: {', '.join(unknown)}")
    t = table.names.index(target)
    names = [n for j, n in enumerate(table.names) if j != t]
    if not names:
        raise CLIError("the file has no column besides the target")
    cols = [c for j, c in enumerate(table.columns) if j != t]
    y = table.columns[t]
    for name, col in zip(table.names, table.columns):
        gaps = np.flatnonzero([v is None for v in col] if col.dtype == object else np.isnan(col))
        if gaps.size and missing == "error":
            raise CLIError(
                f"column {name!r} has a missing value on data row {gaps[0] + 1} (use --missing pairwise "
                "to score each column on the rows where it and the target are present)"
            )
    values = np.empty((len(y), len(cols)))
    kinds = []
    for j, col in enumerate(cols):
        if col.dtype == object:
            present = np.array([v is not None for v in col])
            values[:, j] = np.nan
            values[present, j] = np.unique(col[present].astype(str), return_inverse=True)[1]
            kinds.append("label")
        else:
            values[:, j] = col
            kinds.append("float")
    features = Features(values=values, kinds=tuple(kinds), names=tuple(f"'{n}'" for n in names))
    if np.isinf(values).any():
        bad = names[int(np.flatnonzero(np.isinf(values).any(axis=0))[0])]
        raise CLIError(f"column {bad!r} has infinite values")
    mask = resolve_discrete("auto", features) | np.isin(names, discrete)
    discrete_target = {"auto": "auto", "discrete": True, "continuous": False}[target_type]
    if y.dtype == object and discrete_target is False:
        raise CLIError(f"target {target!r} holds labels and cannot be continuous")
    try:
        tgt = validate_target(y, len(y), discrete_target, allow_nan=missing == "pairwise")
    except ValueError as exc:
        raise CLIError(f"target {target!r}: {exc}") from None
    ranker = MIRanker(
        KSGEstimator(n_neighbors=n_neighbors, discrete_target=tgt.discrete),
        k="all",
        n_permutations=n_permutations,
        discrete_features=mask,
        missing_values=missing,
        random_state=random_state,
        n_jobs=n_jobs,
    )
    try:
        ranker.fit(values, y)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    label_entropy = n_classes = fano = None
    if tgt.discrete:
        n_classes = tgt.n_classes
        label_entropy = discrete_entropy(tgt.values if tgt.present is None else tgt.values[tgt.present])
        best = float(min(ranker.scores_.max(), label_entropy))
        fano = fano_error_lower_bound(best, n_classes, label_entropy=label_entropy)
    return Ranking(
        names=names,
        scores=ranker.scores_,
        ranking=ranker.ranking_,
        pvalues=getattr(ranker, "pvalues_", None),
        discrete_target=tgt.discrete,
        label_entropy=label_entropy,
        n_classes=n_classes,
        fano=fano,
        n_samples=len(y),
    )


def _records(result: Ranking, top: int | None) -> list[dict]:
    order = np.argsort(result.ranking)
    if top is not None:
        order = order[:top]
    records = []
    for j in order:
        rec = {
            "rank": int(result.ranking[j]),
            "feature": result.names[j],
            "mi_nats": float(result.scores[j]),
            "mi_bits": float(result.scores[j] / BITS),
        }
        if result.pvalues is not None:
            rec["p_value"] = float(result.pvalues[j])
        records.append(rec)
    return records


def format_ranking(result: Ranking, fmt: str, top: int | None, target: str) -> str:
    records = _records(result, top)
    if fmt == "json":
        payload = {"target": target, "n_samples": result.n_samples, "features": records}
        if result.discrete_target:
            payload.update(
                n_classes=result.n_classes,
                label_entropy_nats=result.label_entropy,
                fano_error_lower_bound=result.fano,
            )
        return json.dumps(payload, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue().rstrip("\n")
    width = max(len("feature"), *(len(r["feature"]) for r in records))
    head = f"{'rank':>4}  {'feature':<{width}}  {'MI (nats)':>9}  {'MI (bits)':>9}"
    if result.pvalues is not None:
        head += f"  {'p-value':>7}"
    lines = [head, "-" * len(head)]
    for r in records:
        line = f"{r['rank']:>4}  {r['feature']:<{width}}  {r['mi_nats']:>9.4f}  {r['mi_bits']:>9.4f}"
        if "p_value" in r:
            line += f"  {r['p_value']:>7.3f}"
        lines.append(line)
    if result.discrete_target:
        best = records[0]
        lines += [
            "",
            f"label entropy H({target}) = {result.label_entropy:.4f} nats "
            f"({result.label_entropy / BITS:.4f} bits), {result.n_classes} classes",
            f"Fano: any classifier that uses only {best['feature']!r} errs with probability "
            f">= {result.fano:.4f}",
        ]
    return "\n".join(lines)


def _demo(args) -> str:
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    table = Table(
        names=[*map(str, data.feature_names), "diagnosis"],
        columns=[*data.data.T, np.asarray(data.target_names[data.target], dtype=object)],
    )
    start = time.perf_counter()
    result = rank_table(
        table,
        "diagnosis",
        discrete=[],
        target_type="discrete",
        n_neighbors=3,
        n_permutations=args.permutations,
        random_state=args.seed,
        n_jobs=None,
    )
    from mifs import MRMRSelector

    selector = MRMRSelector(5, criterion="mid", random_state=args.seed).fit(data.data, data.target)
    picks = "\n".join(
        f"{step:>4}  {data.feature_names[j]:<24} {rel:>9.4f}  {red:>10.4f}  {crit:>9.4f}"
        for step, (j, rel, red, crit) in enumerate(
            zip(selector.selected_features_, selector.relevance_, selector.redundancy_, selector.criterion_),
            start=1,
        )
    )
    elapsed = time.perf_counter() - start
    intro = (
        "mifs demo: scikit-learn's breast-cancer data (569 tumours, 30 features, "
        "diagnosis malignant/benign).\n"
        f"Mutual information of each feature with the diagnosis (KSG, k = 3), "
        f"p-values from {args.permutations} permutations.\n"
    )
    mrmr = (
        "\nThe top five of the ranking are three measures of the tumour's size and two of its concavity.\n"
        "mRMR (relevance minus mean redundancy with the features already chosen) picks five that are\n"
        "informative without repeating each other:\n"
        f"{'step':>4}  {'feature':<24} {'relevance':>9}  {'redundancy':>10}  {'mRMR':>9}\n{picks}"
    )
    return (
        intro + "\n" + format_ranking(result, "table", None, "diagnosis") + "\n" + mrmr + f"\n\n({elapsed:.1f} s)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mifs", description="Rank features by their mutual information with a target."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="rank the features of scikit-learn's breast-cancer data")
    demo.add_argument("--permutations", type=int, default=199, help="permutations for p-values (default 199)")
    demo.add_argument("--seed", type=int, default=0)
    rank = sub.add_parser("rank", help="rank the columns of a CSV (or parquet) file against a target column")
    rank.add_argument("data", help="CSV file with a header row (or .parquet with pyarrow installed)")
    rank.add_argument("--target", required=True, help="name of the target column")
    rank.add_argument("--k", type=int, default=None, help="show only the N best features")
    rank.add_argument("--discrete", default="", help="comma-separated columns to treat as discrete")
    rank.add_argument(
        "--target-type", choices=["auto", "discrete", "continuous"], default="auto",
        help="auto: classes for labels and integer values, continuous otherwise",
    )
    rank.add_argument("--neighbors", type=int, default=3, help="k of the KSG estimator (default 3)")
    rank.add_argument("--permutations", type=int, default=0, help="permutations for p-values (default 0)")
    rank.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    rank.add_argument("--n-jobs", type=int, default=None, help="parallel jobs (default 1)")
    rank.add_argument(
        "--missing", choices=["error", "pairwise"], default="error",
        help="blank cells: an error (default), or score each column on the rows where it and the target are present",
    )
    rank.add_argument("--format", choices=["table", "csv", "json"], default="table")
    rank.add_argument("--output", default=None, help="write to this file instead of stdout")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "permutations", 0) < 0:
            raise CLIError("--permutations must be >= 0")
        if args.command == "demo":
            text = _demo(args)
            output = None
        else:
            if args.k is not None and args.k < 1:
                raise CLIError("--k must be >= 1")
            if args.neighbors < 1:
                raise CLIError("--neighbors must be >= 1")
            table = read_table(args.data)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = rank_table(
                    table,
                    args.target,
                    discrete=[c for c in args.discrete.split(",") if c],
                    target_type=args.target_type,
                    n_neighbors=args.neighbors,
                    n_permutations=args.permutations,
                    random_state=args.seed,
                    n_jobs=args.n_jobs,
                    missing=args.missing,
                )
            text = format_ranking(result, args.format, args.k, args.target)
            output = args.output
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
            except OSError as exc:
                raise CLIError(f"cannot write {output}: {exc.strerror}") from None
        else:
            print(text)
    except CLIError as exc:
        print(f"mifs: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
