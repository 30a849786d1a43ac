"""The ``mifs`` command (also ``python -m mifs``).

Subcommands: ``rank`` (features by mutual information with a target, with
permutation p-values, label entropy and Fano's bound), ``mrmr`` (greedy
selection by an information-theoretic criterion), ``pairwise`` (the mutual
information matrix of the columns), ``split`` (best decision-tree split and
MDL cut points per feature), ``demo`` and ``warmup`` (compile the kernels
ahead).  Tables are read by pandas (:mod:`mifs._io`) and handed to the
library's estimators as DataFrames, so the library's own type inference
applies.

The library's warnings are shown, once each, as ``mifs: warning: ...``;
notes on what the reader did (columns left out, a decimal comma) as
``mifs: note: ...`` unless ``--quiet``.  Bad input ends with one line
``mifs: error: ...`` on stderr and exit code 2, never a traceback.

Only the standard library is imported here at module level, so that
``mifs --help`` answers at once; numpy, pandas and the estimators are
imported by the subcommands.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

BITS = math.log(2)
#: MRMRSelector's criteria (the tests check they match ``mifs._mrmr.CRITERIA``).
MRMR_CRITERIA = ("mid", "miq", "mifs", "cife", "jmi", "jmim", "cmim")
#: InfoGainSplitter's criteria.
SPLIT_CRITERIA = ("entropy", "gini", "gain_ratio")
#: A best feature with at least this fraction of H(y) gets a warning next to Fano's bound.
ALL_OF_H = 0.99
#: Library parameter names in messages, and the options that set them here.
_OPTION_NAMES = [
    (
        re.compile(r"pass discrete_features listing the discrete columns \([^)]*\)"),
        "pass --discrete listing the discrete numeric columns (the numeric columns left out are continuous)",
    ),
    (
        re.compile(r"mark it continuous with discrete_features;"),
        "pass --discrete with the discrete numeric columns, leaving it out;",
    ),
    (re.compile(r"discrete_target=True"), "--target-type discrete"),
    (re.compile(r"discrete_target=False"), "--target-type continuous"),
    (re.compile(r"missing_values=[\"']pairwise[\"']"), "--missing pairwise"),
    (re.compile(r"\bn_neighbors=(\d+)"), r"--neighbors \1"),
    (re.compile(r"\bdiscrete_features\b"), "--discrete"),
]


class CLIError(Exception):
    """An error reported as one line on stderr with exit code 2."""


def one_line(message: Any) -> str:
    """``message`` on one line, with the library's parameter names replaced
    by the options of the command line that set them."""
    text = " ".join(str(message).split())
    for pattern, option in _OPTION_NAMES:
        text = pattern.sub(option, text)
    return text


# ---------------------------------------------------------------- console


@dataclass
class Console:
    """Where notes, warnings and progress go (stderr)."""

    quiet: bool = False
    progress: bool = False
    stream: Any = None

    def _write(self, text: str) -> None:
        print(text, file=self.stream or sys.stderr, flush=True)

    def note(self, text: str) -> None:
        """``mifs: note: ...`` (what the reader assumed or did), unless quiet."""
        if not self.quiet:
            self._write(f"mifs: note: {text}")

    def warn(self, text: str) -> None:
        """``mifs: warning: ...``; shown even when quiet."""
        self._write(f"mifs: warning: {one_line(text)}")

    def bar(self, iterable, total: int, unit: str):
        """``iterable`` with a tqdm progress bar on stderr when progress is on."""
        if not self.progress:
            return iterable
        from tqdm.auto import tqdm

        return tqdm(iterable, total=total, unit=unit, file=self.stream or sys.stderr, leave=False)


@contextmanager
def shown_warnings(console: Console) -> Iterator[None]:
    """Show every distinct warning once, as one ``mifs: warning:`` line."""
    seen: set[str] = set()

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        text = one_line(message)
        if text not in seen:
            seen.add(text)
            console.warn(text)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


# ---------------------------------------------------------------- options and output


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def _separator(text: str) -> str:
    sep = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(text, text)
    if len(sep) != 1:
        raise argparse.ArgumentTypeError(f"a separator is one character (or 'tab'); got {text!r}")
    return sep


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1; got {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0; got {value}")
    return value


def _n_select(text: str) -> int | float | str:
    if text == "auto":
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a count, a fraction in (0, 1) or 'auto'; got {text!r}") from None
    if value >= 1 and value == int(value):
        return int(value)
    if 0 < value < 1:
        return value
    raise argparse.ArgumentTypeError(f"a count, a fraction in (0, 1) or 'auto'; got {text!r}")


FORMATS_BY_SUFFIX = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}


def output_format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    """``--format``, else the one the ``--output`` suffix names, else ``table``."""
    if args.format is not None:
        fmt = args.format
    elif args.output and os.path.splitext(args.output)[1].lower() in FORMATS_BY_SUFFIX:
        fmt = FORMATS_BY_SUFFIX[os.path.splitext(args.output)[1].lower()]
    else:
        fmt = "table"
    if fmt not in allowed:
        raise CLIError(f"--format {fmt} is not available here; choose one of {', '.join(allowed)}")
    if fmt == "parquet" and not _to_file(args):
        raise CLIError("--format parquet writes a binary file: give it with --output FILE")
    return fmt


def _to_file(args: argparse.Namespace) -> bool:
    return bool(args.output) and args.output != "-"


def check_output(args: argparse.Namespace, inputs: list[str]) -> None:
    """Refuse an ``--output`` that is an input file, not a regular file, in
    a missing directory, or that exists without ``--force``; checked before
    any work is done."""
    if not _to_file(args):
        return
    out = args.output
    for source in inputs:
        if os.path.exists(out) and os.path.exists(source):
            same = os.path.samefile(out, source)
        else:
            same = os.path.realpath(out) == os.path.realpath(source)
        if same:
            raise CLIError(f"--output {out} is the input file; write the results to another file")
    if os.path.isdir(out):
        raise CLIError(f"--output {out} is a directory; give a file name")
    if os.path.exists(out):
        if not os.path.isfile(out):
            raise CLIError(f"--output {out} is not a regular file; leave out --output to write to stdout")
        if not args.force:
            raise CLIError(f"--output {out} exists; pass --force to replace it")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"cannot write {out}: no such directory {parent}")


def write_output(args: argparse.Namespace, text: str | None = None, write: Callable[[str], None] | None = None) -> None:
    """Print ``text``, or write it (or call ``write(path)``) to ``--output``
    through a temporary file renamed into place, so that a failed run
    leaves no half-written file."""
    if not _to_file(args):
        _print(text or "")
        return
    out = os.path.abspath(args.output)
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(out), prefix=f".{os.path.basename(out)}.", suffix=".tmp")
    try:
        if write is None:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text + "\n")
        else:
            os.close(handle)
            write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except OSError as exc:
        raise CLIError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _print(text: str) -> None:
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `mifs rank ... | head`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _csv_text(records: list[dict], trailer: list[str] = ()) -> str:
    """Records as CSV, with ``# `` comment lines after them (read them back
    with ``pandas.read_csv(path, comment="#")``)."""
    out = io.StringIO()
    quote = csv.QUOTE_NONNUMERIC if any("#" in str(v) for r in records for v in r.values()) else csv.QUOTE_MINIMAL
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n", quoting=quote)
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue() + "".join(f"# {line}\n" for line in trailer)


def _json_text(payload: dict) -> str:
    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(payload), indent=2)


def _text_table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """Lines of a fixed-width table; ``align`` has one ``<`` or ``>`` per column."""
    widths = [max(len(h), *(len(r[j]) for r in rows)) if rows else len(h) for j, h in enumerate(header)]
    line = lambda cells: "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths)).rstrip()  # noqa: E731
    head = line(header)
    return [head, "-" * len(head), *(line(r) for r in rows)]


# ---------------------------------------------------------------- reading a table for the estimators


@dataclass
class Data:
    """A table ready for the estimators."""

    frame: pd.DataFrame
    features: list[str]
    target: str | None
    discrete: list[str] | str  # the estimators' discrete_features
    left_out: list = field(default_factory=list)
    source: str = ""

    @property
    def n_rows(self) -> int:
        return int(self.frame.shape[0])


MISSING_HINTS = {
    "rank": "to score each column on the rows where it and the target are present",
    "mrmr": "to use, for each estimate, the rows where its columns are present",
    "pairwise": "to use, for each pair, the rows where both columns are present",
    "split": "to split each column on the rows where it and the target are present",
}


def load(args: argparse.Namespace, console: Console, *, target: str | None, wanted: list[str] | None = None) -> Data:
    """Read ``args.data`` and prepare it for the estimators.

    Numbers written as text become numbers; a column of numbers with a few
    cells that are not numbers is an error, or with ``--missing pairwise``
    those cells become missing (with a warning).  Identifier and date
    columns are left out with a note unless ``--keep-id-columns``; the
    target and the columns named on the command line never are.
    """
    from mifs._io import find_left_out, left_out_note, parse_numbers, read_table

    frame = read_table(args.data, sep=args.sep, decimal=args.decimal)
    meta = frame.attrs.get("mifs", {})
    if meta.get("decimal_sniffed"):
        console.note(
            f"{args.data}: read with separator {meta['sep']!r} and decimal comma (1,5 is 1.5); --decimal . overrides"
        )
    frame.columns = [str(c) for c in frame.columns]
    names = list(frame.columns)
    discrete = _names(getattr(args, "discrete", None))
    wanted = list(dict.fromkeys(wanted)) if wanted else None
    explicit = discrete + (wanted or [])
    if target is not None and target not in names:
        raise CLIError(f"unknown target column {target!r}; the columns are: {', '.join(names)}")
    for option, listed in (("--discrete", discrete), ("--columns", wanted or [])):
        unknown = [c for c in listed if c not in names]
        if unknown:
            raise CLIError(
                f"{option} names unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; "
                f"the columns are: {', '.join(names)}"
            )
    if wanted:
        frame = frame[wanted + ([target] if target and target not in wanted else [])]
    frame, bad = parse_numbers(frame, decimal=meta.get("decimal") or ".", labels=discrete)
    if bad:
        _report_bad_cells(bad, args, console, target)
    protected = set(explicit) | ({target} if target else set())
    columns = wanted or [c for c in frame.columns if c != target]
    empty = [c for c in columns if c not in protected and frame[c].isna().all()]
    if empty:
        console.note(f"left out empty column{'s' if len(empty) > 1 else ''} {', '.join(map(repr, empty))} (no values)")
        columns = [c for c in columns if c not in empty]
    left_out = [] if args.keep_id_columns else find_left_out(frame[columns], keep=protected)
    if left_out:
        console.note(left_out_note(left_out, frame.shape[0]))
        columns = [c for c in columns if c not in {item.column for item in left_out}]
    columns = [c for c in columns if c != target]
    if not columns:
        raise CLIError("the file has no column besides the target" if target else "the file has no columns to use")
    frame = _dates_as_numbers(frame, columns, console)
    frame = frame[columns + ([target] if target else [])]
    if args.missing == "error":
        _check_missing(frame, MISSING_HINTS[args.command])
    else:
        _note_missing(frame, console, {cells.column: len(cells.rows) for cells in bad})
    return Data(frame, columns, target, _discrete_spec(frame, columns, discrete), left_out, args.data)


def _report_bad_cells(bad: list, args: argparse.Namespace, console: Console, target: str | None) -> None:
    """Stop at cells that are not numbers in a column of numbers, or with
    ``--missing pairwise`` warn that they are taken as missing."""

    def as_labels(column: str) -> str:
        if column == target:
            return ""
        if hasattr(args, "discrete"):
            return f" (--discrete {column} reads the column as labels)"
        return ""

    if args.missing != "pairwise":
        more = f" (and {len(bad) - 1} more column{'s' if len(bad) > 2 else ''})" if len(bad) > 1 else ""
        raise CLIError(
            f"{bad[0].describe()}{more}: fix the file, or pass --missing pairwise to treat such cells as "
            f"missing{as_labels(bad[0].column)}"
        )
    for cells in bad:
        console.warn(f"{cells.describe()}; treated as missing{as_labels(cells.column)}")


def _check_missing(frame: pd.DataFrame, hint: str) -> None:
    import numpy as np

    gaps = frame.isna().to_numpy()
    if not gaps.any():
        return
    j = int(np.flatnonzero(gaps.any(axis=0))[0])
    row = int(np.flatnonzero(gaps[:, j])[0])
    raise CLIError(
        f"column {frame.columns[j]!r} has a missing value on data row {row + 1} "
        f"(empty, or a marker such as NA; pass --missing pairwise {hint})"
    )


def _note_missing(frame: pd.DataFrame, console: Console, reported: dict[str, int]) -> None:
    """Name the columns with missing values (beyond the bad cells already reported)."""
    counts = frame.isna().sum() - frame.columns.map(lambda c: reported.get(c, 0)).to_numpy()
    counts = counts[counts > 0]
    if counts.empty:
        return
    shown = ", ".join(f"'{name}' {int(n)}" for name, n in counts.iloc[:5].items())
    more = f" and {len(counts) - 5} more columns" if len(counts) > 5 else ""
    console.note(
        f"missing values (empty cells, NA markers) in {shown}{more}; each estimate uses the rows where its "
        "columns are present"
    )


def _discrete_spec(frame: pd.DataFrame, columns: list[str], named: list[str]) -> list[str] | str:
    """``"auto"``, or with ``--discrete`` the names of the discrete columns:
    those named plus every column of labels (text, bools, categories)."""
    if not named:
        return "auto"
    import pandas as pd

    labels = [
        c for c in columns
        if not pd.api.types.is_numeric_dtype(frame[c].dtype) or pd.api.types.is_bool_dtype(frame[c].dtype)
    ]
    return [c for c in columns if c in set(named) | set(labels)]


def _dates_as_numbers(frame: pd.DataFrame, columns: list[str], console: Console) -> pd.DataFrame:
    """Date/time columns kept (``--keep-id-columns``, or named on the command
    line) enter as seconds since 1970-01-01 (durations as seconds), with a note."""
    from mifs._io import find_left_out

    dates = [item.column for item in find_left_out(frame[columns]) if item.kind == "date"]
    out = frame.copy(deep=False)
    converted = []
    for name in dates:
        seconds = _seconds(out[name])
        if seconds is not None:
            out[name] = seconds
            converted.append(name)
    if converted:
        names = ", ".join(map(repr, converted))
        console.note(f"date column{'s' if len(converted) > 1 else ''} {names} kept as seconds since 1970-01-01")
    return out


def _seconds(col: pd.Series) -> pd.Series | None:
    """Seconds since 1970-01-01 (of a duration: seconds), or None when the
    values do not convert (times of day without a date stay as they are)."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_timedelta64_dtype(col.dtype):
        return col.dt.total_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notes on guessing formats
        values = col.astype(object) if col.dtype == object else col
        try:
            stamps = pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
        except (TypeError, ValueError):  # pandas < 2 has no format="mixed"
            try:
                stamps = pd.to_datetime(values, errors="coerce", utc=True)
            except (TypeError, ValueError, OverflowError):
                return None
    if stamps.isna().all():
        return None
    return ((stamps - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()).astype(np.float64)


def _estimator(args: argparse.Namespace, discrete_target: Any = "auto"):
    from mifs import KSGEstimator

    return KSGEstimator(
        n_neighbors=args.neighbors,
        discrete_target=discrete_target,
        missing_values=args.missing,
        random_state=args.seed,
    )


def _target_kind(data: Data, target_type: str) -> bool:
    """Whether the target is discrete, decided as the estimators decide."""
    from mifs._base import validate_target  # the library's own decision, warnings included

    flag = {"auto": "auto", "discrete": True, "continuous": False}[target_type]
    values = _target_values(data)
    return validate_target(values, len(values), flag, allow_nan=True).discrete


def _target_values(data: Data):
    """The target as the estimators take it: numbers, or labels as objects (NaN where missing)."""
    y = data.frame[data.target]
    return y.to_numpy() if _is_numeric(y) else y.to_numpy(dtype=object)


def _left_out_json(data: Data) -> list[dict]:
    return [{"column": item.column, "kind": item.kind} for item in data.left_out]


def _is_numeric(col: pd.Series) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)


# ---------------------------------------------------------------- rank


@dataclass
class Ranking:
    names: list[str]
    scores: Any
    ranking: Any
    pvalues: Any
    used: Any
    discrete_target: bool
    label_entropy: float | None = None
    n_classes: int | None = None
    fano: float | None = None
    n_samples: int = 0
    left_out: list = field(default_factory=list)


def rank_data(
    data: Data,
    *,
    target_type: str = "auto",
    n_neighbors: int = 3,
    n_permutations: int = 0,
    random_state: int = 0,
    n_jobs: int | None = None,
    missing: str = "error",
    progress: bool = False,
    console: Console | None = None,
) -> Ranking:
    """Rank the feature columns of ``data`` against its target with :class:`mifs.MIRanker`."""
    import numpy as np

    from mifs import KSGEstimator, MIRanker

    discrete_target = _target_kind(data, target_type)
    ranker = MIRanker(
        KSGEstimator(
            n_neighbors=n_neighbors,
            discrete_target=discrete_target,
            discrete_features=data.discrete,
            missing_values=missing,
        ),
        k="all",
        n_permutations=n_permutations,
        random_state=random_state,
        n_jobs=n_jobs,
        verbose=int(progress),
    )
    ranker.fit(data.frame[data.features], _target_values(data))
    result = Ranking(
        names=list(data.features),
        scores=ranker.scores_,
        ranking=ranker.ranking_,
        pvalues=getattr(ranker, "pvalues_", None),
        used=getattr(ranker, "n_samples_used_", None),
        discrete_target=discrete_target,
        n_samples=data.n_rows,
        left_out=data.left_out,
    )
    if discrete_target:
        from mifs.bounds import fano_error_lower_bound
        from mifs.information import discrete_entropy

        labels = data.frame[data.target].dropna().astype(str).to_numpy()
        result.n_classes = int(len(np.unique(labels)))
        result.label_entropy = float(discrete_entropy(labels))
        best_j = int(np.argmin(ranker.ranking_))
        best = float(min(ranker.scores_[best_j], result.label_entropy))
        result.fano = float(fano_error_lower_bound(best, result.n_classes, label_entropy=result.label_entropy))
        if console is not None and best >= ALL_OF_H * result.label_entropy > 0:
            console.warn(
                f"column {data.features[best_j]!r} carries all the information about {data.target!r} "
                f"({best:.4f} of H = {result.label_entropy:.4f} nats): a perfect predictor, a leak, a copy "
                "of the target, or a column with a distinct value per row; check it before trusting the ranking"
            )
    return result


def _rank_records(result: Ranking, top: int | None) -> list[dict]:
    import numpy as np

    order = np.argsort(result.ranking)[:top]
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
        if result.used is not None and int(result.used[j]) != result.n_samples:
            rec["rows_used"] = int(result.used[j])
        records.append(rec)
    if any("rows_used" in r for r in records):
        for rec, j in zip(records, order):
            rec["rows_used"] = int(result.used[j])
    return records


def _fano_lines(result: Ranking, target: str, best: str) -> list[str]:
    if not result.discrete_target:
        return []
    return [
        f"label entropy H({target}) = {result.label_entropy:.4f} nats "
        f"({result.label_entropy / BITS:.4f} bits), {result.n_classes} classes",
        f"Fano: any classifier that uses only {best!r} errs with probability >= {result.fano:.4f}",
    ]


def format_ranking(result: Ranking, fmt: str, top: int | None, target: str) -> str:
    """The ranking as a table, CSV (label entropy and Fano's bound as
    trailing ``#`` lines) or JSON."""
    records = _rank_records(result, top)
    best = _rank_records(result, 1)[0]["feature"]
    fano = _fano_lines(result, target, best)
    if fmt == "json":
        payload: dict = {"target": target, "n_samples": result.n_samples, "features": records}
        if result.discrete_target:
            payload.update(
                n_classes=result.n_classes,
                label_entropy_nats=result.label_entropy,
                label_entropy_bits=result.label_entropy / BITS,
                fano_feature=best,
                fano_error_lower_bound=result.fano,
            )
        payload["columns_left_out"] = [{"column": item.column, "kind": item.kind} for item in result.left_out]
        return _json_text(payload)
    if fmt == "csv":
        return _csv_text(records, fano).rstrip("\n")
    header = ["rank", "feature", "MI (nats)", "MI (bits)"]
    align = "><>>"
    if result.pvalues is not None:
        header.append("p-value")
        align += ">"
    if "rows_used" in records[0]:
        header.append("rows")
        align += ">"
    rows = []
    for r in records:
        row = [str(r["rank"]), r["feature"], f"{r['mi_nats']:.4f}", f"{r['mi_bits']:.4f}"]
        if "p_value" in r:
            row.append(f"{r['p_value']:.3f}")
        if "rows_used" in r:
            row.append(str(r["rows_used"]))
        rows.append(row)
    lines = _text_table(header, rows, align)
    return "\n".join(lines + ([""] + fano if fano else []))


def cmd_rank(args: argparse.Namespace, console: Console) -> int:
    fmt = output_format(args, ("table", "csv", "json"))
    check_output(args, [args.data])
    data = load(args, console, target=args.target)
    result = rank_data(
        data,
        target_type=args.target_type,
        n_neighbors=args.neighbors,
        n_permutations=args.permutations,
        random_state=args.seed,
        n_jobs=args.n_jobs,
        missing=args.missing,
        progress=console.progress,
        console=console,
    )
    write_output(args, format_ranking(result, fmt, args.k, args.target))
    return 0


# ---------------------------------------------------------------- mrmr


def cmd_mrmr(args: argparse.Namespace, console: Console) -> int:
    from mifs import MRMRSelector

    fmt = output_format(args, ("table", "csv", "json"))
    check_output(args, [args.data])
    data = load(args, console, target=args.target)
    discrete_target = _target_kind(data, args.target_type)
    selector = MRMRSelector(
        args.n,
        criterion=args.criterion,
        estimator=_estimator(args, discrete_target).set_params(discrete_features=data.discrete),
        random_state=args.seed,
        n_jobs=args.n_jobs,
        verbose=int(console.progress),
    )
    selector.fit(data.frame[data.features], _target_values(data))
    steps = zip(selector.selected_features_, selector.relevance_, selector.redundancy_, selector.criterion_)
    records = [
        {
            "step": step,
            "feature": data.features[j],
            "relevance_nats": float(rel),
            "redundancy_nats": float(red),
            "criterion": float(crit),
        }
        for step, (j, rel, red, crit) in enumerate(steps, start=1)
    ]
    write_output(args, format_steps(records, fmt, args, data))
    return 0


def format_steps(records: list[dict], fmt: str, args: argparse.Namespace, data: Data) -> str:
    """The steps of an mRMR selection as a table, CSV or JSON."""
    if fmt == "json":
        return _json_text(
            {
                "target": args.target,
                "criterion": args.criterion,
                "n_samples": data.n_rows,
                "steps": records,
                "columns_left_out": _left_out_json(data),
            }
        )
    if not records:
        return "" if fmt == "csv" else "no feature selected"
    if fmt == "csv":
        return _csv_text(records).rstrip("\n")
    unit = "" if args.criterion == "miq" else " (nats)"
    rows = [
        [str(r["step"]), r["feature"], *(f"{r[key]:.4f}" for key in ("relevance_nats", "redundancy_nats", "criterion"))]
        for r in records
    ]
    lines = _text_table(["step", "feature", "relevance", "redundancy", args.criterion + unit], rows, "><>>>")
    summary = (
        f"{args.criterion}: relevance and redundancy in nats, {len(records)} of {len(data.features)} features "
        f"selected for {args.target!r}"
    )
    return "\n".join([*lines, "", summary])


# ---------------------------------------------------------------- pairwise


def cmd_pairwise(args: argparse.Namespace, console: Console) -> int:
    from mifs import pairwise_mutual_information

    fmt = output_format(args, ("table", "csv", "json", "parquet"))
    check_output(args, [args.data])
    data = load(args, console, target=None, wanted=_names(args.columns) or None)
    matrix = pairwise_mutual_information(
        data.frame[data.features],
        estimator=_estimator(args).set_params(discrete_features=data.discrete),
        n_jobs=args.n_jobs,
    )
    names = list(data.features)
    values = matrix.to_numpy()
    if fmt == "parquet":
        import pandas as pd

        frame = pd.DataFrame(values, columns=names)
        frame.insert(0, "feature", names)
        write_output(args, write=lambda path: frame.to_parquet(path, index=False))
    else:
        write_output(args, format_matrix(names, values, fmt, data))
    return 0


def format_matrix(names: list[str], values, fmt: str, data: Data) -> str:
    """The pairwise matrix as a table, CSV (a first column ``feature``) or JSON."""
    if fmt == "json":
        payload = {
            "features": names,
            "n_samples": data.n_rows,
            "mi_nats": [[float(v) for v in row] for row in values],
            "columns_left_out": _left_out_json(data),
        }
        return _json_text(payload)
    if fmt == "csv":
        records = [
            {"feature": a, **{b: "" if math.isnan(v) else float(v) for b, v in zip(names, row)}}
            for a, row in zip(names, values)
        ]
        return _csv_text(records).rstrip("\n")
    rows = [[a, *("-" if math.isnan(v) else f"{v:.4f}" for v in row)] for a, row in zip(names, values)]
    lines = _text_table(["MI (nats)", *names], rows, "<" + ">" * len(names))
    return "\n".join([*lines, "", "diagonal: H(X) of a discrete column, '-' for a continuous one (infinite)"])


# ---------------------------------------------------------------- split

#: Per criterion of the splitter: the column header and the phrase of the best split.
SPLIT_UNITS = {
    "entropy": ("information gain (nats)", "information gain {:.4f} nats"),
    "gini": ("Gini decrease", "Gini decrease {:.4f}"),
    "gain_ratio": ("gain ratio", "gain ratio {:.4f}"),
}


def cmd_split(args: argparse.Namespace, console: Console) -> int:
    import numpy as np
    import pandas as pd

    fmt = output_format(args, ("table", "csv", "json"))
    check_output(args, [args.data])
    data = load(args, console, target=args.target)
    if not _target_kind(data, args.target_type):
        raise CLIError(
            f"a split needs a class target, but {args.target!r} is continuous; "
            "pass --target-type discrete to take its values for classes"
        )
    labels = [c for c in data.features if not pd.api.types.is_numeric_dtype(data.frame[c].dtype)]
    if labels:
        console.note(
            f"left out column{'s' if len(labels) > 1 else ''} of labels {', '.join(map(repr, labels))}: "
            "a split x <= t needs numbers"
        )
    features = [c for c in data.features if c not in labels]
    if not features:
        raise CLIError("no numeric column to split: every feature holds labels")
    X = pd.DataFrame({c: data.frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in features})
    y = data.frame[data.target]
    present = y.notna().to_numpy()
    codes = pd.factorize(y, sort=True)[0]  # class codes (-1 where missing), whatever the labels' type
    params = dict(criterion=args.criterion, max_bins=args.max_bins, min_samples_leaf=args.min_samples_leaf)
    fits = _split_fits(X, codes, present, params, args.n_jobs, console)
    records = [
        {"feature": name, "threshold": threshold, "gain": gain, "n_bins": len(cuts) + 1, "cut_points": cuts,
         "rows_used": rows}
        for name, (threshold, gain, cuts, rows) in zip(features, fits)
    ]
    if all(r["rows_used"] == data.n_rows for r in records):  # the column only when rows were left out
        for r in records:
            del r["rows_used"]
    records.sort(key=lambda r: -r["gain"])  # stable: ties keep the column order
    write_output(args, format_splits(records, fmt, args, data))
    return 0


def format_splits(records: list[dict], fmt: str, args: argparse.Namespace, data: Data) -> str:
    """Best split and cut points per column as a table, CSV or JSON."""
    best = records[0] if not math.isnan(records[0]["threshold"]) else None
    if fmt == "json":
        payload = {
            "target": args.target,
            "criterion": args.criterion,
            "n_samples": data.n_rows,
            "best": None if best is None else {k: best[k] for k in ("feature", "threshold", "gain")},
            "features": records,
            "columns_left_out": _left_out_json(data),
        }
        return _json_text(payload)
    if fmt == "csv":
        return _csv_text([{**r, "cut_points": " ".join(map(repr, r["cut_points"]))} for r in records]).rstrip("\n")
    header, phrase = SPLIT_UNITS[args.criterion]
    rows = [
        [
            r["feature"],
            "-" if math.isnan(r["threshold"]) else f"{r['threshold']:.6g}",
            f"{r['gain']:.4f}",
            str(r["n_bins"]),
            " ".join(f"{c:.6g}" for c in r["cut_points"]) or "-",
            *([str(r["rows_used"])] if "rows_used" in r else []),
        ]
        for r in records
    ]
    columns = ["feature", "threshold", header, "bins", "MDL cut points"]
    columns += ["rows"] if "rows_used" in records[0] else []
    lines = _text_table(columns, rows, "<>>><>")
    if best is None:
        return "\n".join([*lines, "", "no feature has a valid split"])
    split = f"{best['feature']} <= {best['threshold']:.6g}"
    summary = f"best split for {args.target!r}: {split} ({phrase.format(best['gain'])})"
    return "\n".join([*lines, "", summary])


def _split_fits(X, codes, present, params: dict, n_jobs: int | None, console: Console) -> list[tuple]:
    """Per feature: best threshold, its gain, the MDL cut points, rows used.

    Without missing values one :class:`mifs.InfoGainSplitter` fits every
    column; with them (``--missing pairwise``) each column is fitted on
    the rows where it and the target are present.
    """
    import numpy as np

    from mifs import InfoGainSplitter

    values = X.to_numpy()
    if present.all() and not np.isnan(values).any():
        splitter = InfoGainSplitter(**params, n_jobs=n_jobs).fit(X, codes)
        fitted = zip(splitter.thresholds_, splitter.gains_, splitter.cut_points_)
        return [(float(t), float(g), cuts.tolist(), values.shape[0]) for t, g, cuts in fitted]
    fits = []
    for j in console.bar(range(values.shape[1]), values.shape[1], "column"):
        rows = present & ~np.isnan(values[:, j])
        if rows.sum() < 2:
            raise CLIError(f"column {X.columns[j]!r} and the target are both present in only {int(rows.sum())} rows")
        splitter = InfoGainSplitter(**params).fit(X.iloc[rows, [j]], codes[rows])
        thresholds, gains, cuts = splitter.thresholds_, splitter.gains_, splitter.cut_points_
        fits.append((float(thresholds[0]), float(gains[0]), cuts[0].tolist(), int(rows.sum())))
    return fits


# ---------------------------------------------------------------- demo and warmup


def _demo_text(args: argparse.Namespace, console: Console) -> str:
    import pandas as pd
    from sklearn.datasets import load_breast_cancer

    from mifs import MRMRSelector

    bunch = load_breast_cancer()
    frame = pd.DataFrame(bunch.data, columns=[str(n) for n in bunch.feature_names])
    frame["diagnosis"] = bunch.target_names[bunch.target].astype(object)
    features = [str(n) for n in bunch.feature_names]
    data = Data(frame, features, "diagnosis", "auto", [], "breast cancer")
    start = time.perf_counter()
    result = rank_data(
        data, target_type="discrete", n_permutations=args.permutations, random_state=args.seed,
        progress=console.progress, console=console,
    )
    selector = MRMRSelector(5, criterion="mid", random_state=args.seed).fit(bunch.data, bunch.target)
    picks = "\n".join(
        f"{step:>4}  {bunch.feature_names[j]:<24} {rel:>9.4f}  {red:>10.4f}  {crit:>9.4f}"
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
    return intro + "\n" + format_ranking(result, "table", None, "diagnosis") + "\n" + mrmr + f"\n\n({elapsed:.1f} s)"


def cmd_demo(args: argparse.Namespace, console: Console) -> int:
    _print(_demo_text(args, console))
    return 0


def cmd_warmup(args: argparse.Namespace, console: Console) -> int:
    from mifs._warmup import warmup

    seconds = warmup(verbose=not args.quiet)
    _print(f"mifs warmup: every kernel compiled and cached in {seconds:.1f} s; later runs load them from the cache")
    return 0


# ---------------------------------------------------------------- the parser


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("mifs")
        except PackageNotFoundError:  # run from a source tree that is not installed
            number = "(not installed)"
        print(f"mifs {number}")
        parser.exit()


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("messages")
    group.add_argument(
        "-q", "--quiet", action="store_true", help="no notes and no progress bar (warnings and errors stay)"
    )
    group.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )
    return common


def _data_options(*, target: bool, discrete: bool = True, neighbors: bool = True) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("data", help="CSV file with a header row (plain, .gz, .bz2, .xz) or a parquet file")
    if target:
        parent.add_argument("--target", required=True, help="name of the target column")
    reading = parent.add_argument_group("reading the table")
    reading.add_argument(
        "--sep", type=_separator, default=None, help="field separator (default: sniffed from , ; tab |)"
    )
    reading.add_argument(
        "--decimal", choices=[".", ","], default=None, metavar="{.|,}",
        help="decimal mark (default: ',' when the separator is not a comma and the numbers use one)",
    )
    reading.add_argument(
        "--missing", choices=["error", "pairwise"], default="error",
        help="empty cells, NA markers and cells that are not numbers in a column of numbers: an error (default), "
        "or missing values, each estimate using the rows where its columns are present",
    )
    reading.add_argument(
        "--keep-id-columns", action="store_true",
        help="keep identifier columns (all values distinct) and date columns, left out by default",
    )
    estimation = parent.add_argument_group("estimation")
    if discrete:
        estimation.add_argument(
            "--discrete", default=None, metavar="A,B",
            help="the numeric columns that hold labels; the other numeric columns are then continuous "
            "(default: decided per column; columns of text are always labels)",
        )
    if target:
        estimation.add_argument(
            "--target-type", choices=["auto", "discrete", "continuous"], default="auto",
            help="auto: classes for labels and for numbers that look like labels, continuous otherwise",
        )
    if neighbors:
        estimation.add_argument("--neighbors", type=_positive, default=3, help="k of the KSG estimator (default 3)")
    estimation.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    estimation.add_argument("--n-jobs", type=int, default=None, help="parallel jobs (default 1; -1 all cores)")
    return parent


def _output_options(formats: tuple[str, ...]) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("output")
    group.add_argument(
        "--format", choices=formats, default=None,
        help=f"{' / '.join(formats)} (default: from the --output suffix, else table)",
    )
    group.add_argument("--output", "-o", default=None, metavar="FILE", help="write to FILE instead of stdout")
    group.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return parent


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like the others."""

    def error(self, message: str):
        self.exit(2, f"mifs: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mifs`` command (standard library only)."""
    parser = _Parser(
        prog="mifs",
        description="Information-theoretic feature selection: rank, select and split the columns of a table "
        "by their mutual information with a target.",
        epilog="Run 'mifs COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common_options()
    table_out = _output_options(("table", "csv", "json"))

    rank = sub.add_parser(
        "rank", parents=[_data_options(target=True), table_out, common],
        help="rank the columns of a CSV or parquet file by mutual information with a target",
        description="Rank the columns by their mutual information with the target (MIRanker), with permutation "
        "p-values, and for a class target the label entropy and Fano's bound on the error of any classifier "
        "that uses the best feature.",
    )
    rank.add_argument("--k", type=_positive, default=None, help="show only the K best features")
    rank.add_argument("--permutations", type=_non_negative, default=0, help="permutations for p-values (default 0)")
    rank.set_defaults(run=cmd_rank)

    mrmr = sub.add_parser(
        "mrmr", parents=[_data_options(target=True), table_out, common],
        help="select features greedily: mRMR, JMI, CMIM and relatives",
        description="Select features one at a time by an information-theoretic criterion (MRMRSelector); "
        "prints each step's relevance, redundancy and criterion.",
    )
    mrmr.add_argument(
        "--n", type=_n_select, default=10, help="features to select: a count, a fraction, or auto (default 10)"
    )
    mrmr.add_argument("--criterion", choices=MRMR_CRITERIA, default="mid", help="selection criterion (default mid)")
    mrmr.set_defaults(run=cmd_mrmr)

    pairwise = sub.add_parser(
        "pairwise", parents=[_data_options(target=False), _output_options(("table", "csv", "json", "parquet")), common],
        help="the mutual information between every pair of columns",
        description="The symmetric matrix of mutual information between every pair of columns, in nats.",
    )
    pairwise.add_argument("--columns", default=None, metavar="A,B,...", help="only these columns (default: all)")
    pairwise.set_defaults(run=cmd_pairwise)

    split = sub.add_parser(
        "split", parents=[_data_options(target=True, discrete=False, neighbors=False), table_out, common],
        help="best decision-tree split and MDL cut points of each numeric column",
        description="For each numeric column, the split x <= t with the largest information gain about a class "
        "target, and the cut points of its supervised (Fayyad-Irani MDL) discretisation (InfoGainSplitter).",
    )
    split.add_argument(
        "--criterion", choices=SPLIT_CRITERIA, default="entropy", help="split criterion (default entropy)"
    )
    split.add_argument("--max-bins", type=int, default=None, help="at most this many intervals per column")
    split.add_argument("--min-samples-leaf", type=_positive, default=1, help="rows on each side of a split (default 1)")
    split.set_defaults(run=cmd_split)

    demo = sub.add_parser(
        "demo", parents=[common], help="rank the features of scikit-learn's breast-cancer data",
        description="Rank the 30 features of scikit-learn's breast-cancer data and select five with mRMR.",
    )
    demo.add_argument("--permutations", type=_non_negative, default=199, help="permutations for p-values (default 199)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.set_defaults(run=cmd_demo)

    warm = sub.add_parser(
        "warmup", parents=[common], help="compile every kernel ahead (first run only takes long)",
        description="Compile and cache every numba kernel by running each estimator on tiny data, so that the "
        "first real run does not wait for the compiler.",
    )
    warm.set_defaults(run=cmd_warmup)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, or 2 after an error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    quiet = getattr(args, "quiet", False)
    progress = getattr(args, "progress", None)
    console = Console(quiet=quiet, progress=not quiet and (sys.stderr.isatty() if progress is None else progress))
    try:
        with shown_warnings(console):
            return args.run(args, console)
    except (CLIError, ValueError, TypeError) as exc:  # the library's errors are about the input
        print(f"mifs: error: {one_line(exc)}", file=sys.stderr)
    except MemoryError:
        print("mifs: error: out of memory; try fewer columns or rows", file=sys.stderr)
    except KeyboardInterrupt:
        print("mifs: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, the traceback with MIFS_DEBUG=1
        if os.environ.get("MIFS_DEBUG"):
            raise
        print(
            f"mifs: error: internal error ({type(exc).__name__}: {one_line(exc)}); "
            "run again with MIFS_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
    return 2


if __name__ == "__main__":
    sys.exit(main())
