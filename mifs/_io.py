"""Reading tables for the command line: CSV and parquet through pandas.

:func:`read_table` reads a file into a :class:`pandas.DataFrame` the way
pandas reads it (pandas' C parser; pyarrow's on request), after checks that turn every way a file can be unusable into a
one-line :class:`InputError`: no such file, a directory, a FIFO or device,
no permission, an empty file, a header without rows, a repeated column
name, bytes that are not UTF-8, rows with the wrong number of fields.  The
separator (``,`` ``;`` tab ``|``) and a decimal comma are sniffed from the
head of the file unless given.

Two checks then look at what pandas made of the columns:

* :func:`parse_numbers`: a column of numbers in which a few cells are not
  numbers (``?``, ``n.a.``, a stray NUL byte) comes back from pandas as a
  column of text, which the estimators would treat as labels with nearly
  one level per row.  Such columns are made numeric, their bad cells
  missing, and reported (column, count, first examples), so that the
  command line can stop or go on as the user asked.
* :func:`find_left_out`: identifier columns (text or integers, every value
  distinct) and date/time columns carry no information about a target that
  generalises, and would rank first; they are found so that the command
  line can leave them out with a note.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import os
import re
import stat
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Separators the sniffer chooses from, in order of preference on ties.
SEPARATORS = (",", ";", "\t", "|")
#: Bytes read from the head of a file to sniff its separator and decimal mark.
SNIFF_BYTES = 1 << 16
#: Records of the head used to sniff the separator.
SNIFF_ROWS = 50
#: A column of text is a column of numbers with bad cells when at least this
#: fraction of its present cells are numbers and the rest are few
#: (:data:`MAX_BAD_FRACTION`) or repeat a few markers (:data:`MAX_BAD_MARKERS`).
MIN_NUMERIC_FRACTION = 0.5
#: See :data:`MIN_NUMERIC_FRACTION`.
MAX_BAD_FRACTION = 0.05
#: See :data:`MIN_NUMERIC_FRACTION`.
MAX_BAD_MARKERS = 3
#: Cells of a long column of text sampled to see at once that it holds labels.
LABEL_SAMPLE = 1000
#: Below this many present values no column is taken for an identifier:
#: in a short column, distinct values are too likely by chance.
MIN_IDENTIFIER_ROWS = 20
#: Values of a text column checked against the date patterns.
DATE_SAMPLE = 200
#: Examples of bad cells quoted in a message.
N_EXAMPLES = 3

_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
    b"\x28\xb5\x2f\xfd": "zstd",
}
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_OPENERS = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+(?:[eE][-+]?\d+)?")
_DECIMAL_POINT = re.compile(r"[-+]?\d*\.\d+(?:[eE][-+]?\d+)?")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]m)?"
_ZONE = r"(?:z|[+-]\d{2}(?::?\d{2})?)?"
_DATE = re.compile(
    r"\s*(?:(?:"
    r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}/\d{1,2}/\d{2}"
    rf"|\d{{1,2}}[ -]{_MONTH}[ -]\d{{2,4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf")(?:[t ]\s*{_TIME}\s*{_ZONE})?|{_TIME})\s*",
    re.IGNORECASE,
)


class InputError(ValueError):
    """A file the command line cannot use; the message is one line."""


# ---------------------------------------------------------------- reading


def read_table(
    path: str | os.PathLike, *, sep: str | None = None, decimal: str | None = None, engine: str | None = None
) -> pd.DataFrame:
    """Read a CSV or parquet file into a DataFrame, with one-line errors.

    Parameters
    ----------
    path : str or path-like
        A CSV file with a header row (plain, or compressed with gzip, bz2
        or xz), or a parquet file (recognised by its content or by the
        ``.parquet`` / ``.pq`` suffix; needs pyarrow).
    sep : str, default=None
        Field separator; ``None`` sniffs ``,`` ``;`` tab or ``|`` from the
        head of the file.
    decimal : {".", ","}, default=None
        Decimal mark; ``None`` means ``,`` when the separator is not a
        comma and more numbers in the head of the file are written with a
        decimal comma (``1,5``) than with a point, else ``.``.
    engine : {"c", "pyarrow"}, default=None
        The pandas parser; ``None`` means pandas' C parser, which on two
        cores reads as fast as pyarrow's with 30% less memory
        (``benchmarks/bench_cli.py``).  With ``"pyarrow"``, files that
        pyarrow's parser cannot read (such as quoted fields spanning lines)
        are read again with the C parser.

    Returns
    -------
    DataFrame
        The table as pandas parsed it (pandas' own missing-value markers,
        such as an empty cell or ``NA``, are missing).  ``frame.attrs["mifs"]``
        holds the separator and decimal mark used and whether the decimal
        comma was sniffed.

    Raises
    ------
    InputError
        The file is missing, not a regular file, unreadable, empty, has
        no data rows, repeats a column name, is not UTF-8 text, or does
        not parse.
    """
    path = os.fspath(path)
    check_regular_file(path)
    head = _read_head(path)
    compression = _compression(head)
    if _is_parquet(path, head) or (compression is None and path.lower().endswith((".parquet", ".pq"))):
        return _read_parquet(path)
    if compression in ("zip", "zstd"):
        raise InputError(f"{path}: a {compression} archive; decompress it first")
    if compression is not None:
        head = _read_head(path, _OPENERS[compression])
    text = _decode_head(path, head)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    if sep is None:
        sep = sniff_separator(text)
    sniffed = decimal is None
    if decimal is None:
        decimal = sniff_decimal(text, sep)
    if decimal == sep:
        raise InputError(f"the decimal mark {decimal!r} cannot also be the separator")
    header = _header(path, text, sep)
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(f"{path}: the header repeats the column name {repeated[0]!r}")
    frame = _read_csv(path, sep, decimal, engine, compression)
    if frame.shape[0] == 0:
        raise InputError(f"{path}: the file has a header but no data rows")
    _check_text_is_utf8(path, frame)
    frame.attrs["mifs"] = {"sep": sep, "decimal": decimal, "decimal_sniffed": sniffed and decimal == ","}
    return frame


def check_regular_file(path: str) -> os.stat_result:
    """``os.stat`` of ``path``; an :class:`InputError` unless it is a regular file.

    Checked before anything opens the file, so that a FIFO (whose ``open``
    would wait for a writer) is refused instead of hanging.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        raise InputError(f"{path}: is {kind}; give a file on disk")
    if info.st_size == 0:
        raise InputError(f"{path}: the file is empty")
    return info


def _compression(head: bytes) -> str | None:
    """The compression of a file from its first bytes (None: not compressed)."""
    if _BZIP2.match(head):
        return "bz2"
    return next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)


def _is_parquet(path: str, head: bytes) -> bool:
    """A parquet file starts and ends with ``PAR1``."""
    if not head.startswith(b"PAR1"):
        return False
    with open(path, "rb") as handle:
        handle.seek(-4, os.SEEK_END)
        return handle.read(4) == b"PAR1"


def _read_head(path: str, opener=open) -> bytes:
    """The first :data:`SNIFF_BYTES` bytes, and more up to the second line
    break, so that a wide header is read whole (at most 64 MB)."""
    try:
        with opener(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            while head.count(b"\n") < 2 and len(head) < 1 << 26:
                more = handle.read(SNIFF_BYTES)
                if not more:
                    break
                head += more
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    return head


def _decode_head(path: str, head: bytes) -> str:
    """The head as text, without a byte-order mark and a last partial line."""
    if b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut by the end of the sample
            return head[: exc.start].decode("utf-8-sig")
        raise InputError(
            f"{path}: not a UTF-8 text file (byte 0x{head[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None


def _records(text: str, sep: str) -> list[list[str]]:
    """The first :data:`SNIFF_ROWS` non-empty records of ``text`` split on ``sep``."""
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=sep):
            if row:
                rows.append(row)
            if len(rows) == SNIFF_ROWS:
                break
    except csv.Error:
        return []
    return rows


def sniff_separator(text: str) -> str:
    """The separator of a CSV text: of ``,`` ``;`` tab ``|``, the one that
    splits the head's records into the same number (> 1) of fields, the
    most fields if several do; else the one that splits the header most."""
    best, best_key = ",", (False, 1)
    for sep in SEPARATORS:
        rows = _records(text, sep)
        if not rows:
            continue
        width = len(rows[0])
        consistent = all(len(row) == width for row in rows)
        key = (consistent and width > 1, width)
        if key > best_key:
            best, best_key = sep, key
    return best


def sniff_decimal(text: str, sep: str) -> str:
    """``","`` when ``sep`` is not a comma and more of the head's numbers
    are written with a decimal comma (``1,5``) than with a point, else ``"."``."""
    if sep == ",":
        return "."
    comma = point = 0
    for row in _records(text, sep)[1:]:
        for cell in row:
            cell = cell.strip()
            comma += bool(_DECIMAL_COMMA.fullmatch(cell))
            point += bool(_DECIMAL_POINT.fullmatch(cell))
    return "," if comma > point else "."


def _header(path: str, text: str, sep: str) -> list[str]:
    rows = _records(text, sep)
    if not rows:
        raise InputError(f"{path}: cannot parse the header as CSV")
    return [name.strip() for name in rows[0]]


def _read_csv(path: str, sep: str, decimal: str, engine: str | None, compression: str | None) -> pd.DataFrame:
    if engine is None:
        engine = "c"  # measured (benchmarks/bench_cli.py): as fast as pyarrow's on 2 cores, 30% less memory
    options = dict(sep=sep, decimal=decimal, compression=compression)
    if engine == "pyarrow":
        try:
            return pd.read_csv(path, engine="pyarrow", **options)
        except (ValueError, pd.errors.ParserError, OSError) as exc:
            if re.search(r"Expected \d+ columns, got \d+", str(exc)):
                raise InputError(f"{path}: {_ragged_row(path, sep, compression) or _parser_message(exc)}") from None
            # anything else (such as a quoted field spanning pyarrow's blocks): read with the C parser
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed columns are typed afterwards
            frame = pd.read_csv(path, engine="c", encoding="utf-8-sig", **options)
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise InputError(f"{path}: not a UTF-8 text file (byte 0x{byte:02x}); save it as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: the file is empty") from None
    except pd.errors.ParserError as exc:
        ragged = _ragged_row(path, sep, compression)
        raise InputError(f"{path}: {ragged or f'cannot parse as CSV ({_parser_message(exc)})'}") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if frame.shape[1] and frame.iloc[:, -1].isna().any():
        # the C parser fills a row with too few fields with missing values: look for one
        ragged = _ragged_row(path, sep, compression)
        if ragged:
            raise InputError(f"{path}: {ragged}")
    return frame


def _ragged_row(path: str, sep: str, compression: str | None) -> str | None:
    """The first data row whose number of fields differs from the header's
    (a scan of the file, only when a parser has found one)."""
    opener = _OPENERS.get(compression, open)
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=sep)
            width = len(next(reader))
            for i, row in enumerate((row for row in reader if row), start=1):
                if len(row) != width:
                    return f"data row {i} has {len(row)} fields but the header has {width}"
    except (OSError, UnicodeDecodeError, csv.Error, StopIteration):
        return None
    return None


def _parser_message(exc: Exception) -> str:
    """pandas' C parser message in the words of a CSV file's rows."""
    text = " ".join(str(exc).split())
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        expected, line, saw = (int(g) for g in found.groups())
        return f"line {line} has {saw} fields but the header has {expected}"
    return text.removeprefix("Error tokenizing data. ").removeprefix("C error: ")


def _check_text_is_utf8(path: str, frame: pd.DataFrame) -> None:
    """pyarrow's parser reads a column with bytes that are not UTF-8 as bytes."""
    for name in frame.columns:
        col = frame[name]
        if col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) in ("bytes", "mixed"):
            row = next((i for i, v in enumerate(col) if isinstance(v, bytes)), None)
            if row is not None:
                raise InputError(
                    f"{path}: column '{name}' is not UTF-8 text (data row {row + 1}); save the file as UTF-8"
                )


def _read_parquet(path: str) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError("reading parquet needs pyarrow: pip install pyarrow") from None
    try:
        frame = pd.read_parquet(path)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except Exception as exc:  # pyarrow raises its own error types
        raise InputError(f"{path}: cannot read as parquet ({' '.join(str(exc).split())})") from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()  # an index pandas stored is a column of the table
    if frame.shape[0] == 0:
        raise InputError(f"{path}: the file has no rows")
    frame.columns = [str(c) for c in frame.columns]
    if len(set(frame.columns)) != frame.shape[1]:
        raise InputError(f"{path}: the table repeats a column name")
    frame.attrs["mifs"] = {"sep": None, "decimal": None, "decimal_sniffed": False}
    return frame


# ---------------------------------------------------------------- bad cells


@dataclass(frozen=True)
class BadCells:
    """Cells of a column of numbers that are not numbers.

    Attributes
    ----------
    column : str
        The column's name.
    rows : ndarray of int
        Positions (0-based) of the bad cells.
    examples : list of str
        The first bad cells' text.
    """

    column: str
    rows: np.ndarray
    examples: list

    def describe(self) -> str:
        """``column 'x': 2 cells are not numbers (data row 17: '?'; data row 40: 'n.a.')``."""
        count = len(self.rows)
        what = "1 cell is not a number" if count == 1 else f"{count} cells are not numbers"
        shown = "; ".join(f"data row {r + 1}: {v!r}" for r, v in zip(self.rows[:N_EXAMPLES], self.examples))
        more = "; ..." if count > N_EXAMPLES else ""
        return f"column '{self.column}': {what} ({shown}{more})"


def _is_text(dtype) -> bool:
    return (
        dtype == object
        or isinstance(dtype, pd.CategoricalDtype)
        or (pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_numeric_dtype(dtype))
    )


def _as_numbers(col: pd.Series, decimal: str) -> pd.Series:
    """The numbers of a text column (NaN where a cell is not one)."""
    text = col.astype(object) if isinstance(col.dtype, pd.CategoricalDtype) else col
    if decimal == ",":
        text = text.astype("str").str.replace(",", ".", regex=False).where(col.notna())
    return pd.to_numeric(text, errors="coerce")


def parse_numbers(frame: pd.DataFrame, *, decimal: str = ".", labels=()) -> tuple[pd.DataFrame, list[BadCells]]:
    """Make numeric the columns of numbers that pandas read as text.

    A column of text (not one of ``labels``) whose present cells all parse
    as numbers becomes float64.  So does a column of numbers with a few bad
    cells, whose bad cells become missing (NaN) and are reported: at least
    half of its present cells are numbers and the others are either at
    most 5 % of the present cells (at least one is allowed) or repeat at
    most three distinct markers (``?``, ``-``, ``n.a.``).  Any other column
    of text holds labels and is left as it is.

    Parameters
    ----------
    frame : DataFrame
        The table, as :func:`read_table` returns it; not modified.
    decimal : {".", ","}, default="."
        Decimal mark of the numbers written as text.
    labels : iterable of str, default=()
        Columns that hold labels whatever their content.

    Returns
    -------
    frame : DataFrame
        A new frame with the converted columns (the others are shared, not
        copied), or ``frame`` itself when nothing is converted.
    bad : list of BadCells
        The columns converted despite bad cells, in column order.
    """
    labels = {str(name) for name in labels}
    converted: dict = {}
    bad = []
    for name in frame.columns:
        col = frame[name]
        if str(name) in labels or not _is_text(col.dtype) or isinstance(col.dtype, pd.CategoricalDtype):
            continue
        present = col.notna().to_numpy()
        n_present = int(present.sum())
        if n_present == 0 or _clearly_labels(col, present, decimal):
            continue
        numbers = _as_numbers(col, decimal)
        failed = present & numbers.isna().to_numpy()
        n_bad = int(failed.sum())
        if n_present - n_bad < max(1, MIN_NUMERIC_FRACTION * n_present):
            if decimal == "." and n_bad:
                _refuse_decimal_commas(str(name), col, failed)
            continue
        if n_bad:
            rows = np.flatnonzero(failed)
            values = col.iloc[rows].astype(object).map(str)
            if n_bad > max(1, MAX_BAD_FRACTION * n_present) and values.nunique() > MAX_BAD_MARKERS:
                continue
            bad.append(BadCells(column=str(name), rows=rows, examples=list(values.iloc[:N_EXAMPLES])))
        converted[name] = numbers.astype(np.float64)
    if not converted:
        return frame, bad
    out = frame.copy(deep=False)
    for name, numbers in converted.items():
        out[name] = numbers
    return out, bad


def _clearly_labels(col: pd.Series, present: np.ndarray, decimal: str) -> bool:
    """Whether :data:`LABEL_SAMPLE` evenly spread present cells of a long
    column show it to hold labels (under 40 % numbers, and not numbers with
    a decimal comma), so that its every cell need not be parsed.  Were half
    the cells numbers, such a sample would show under 40 % with a
    probability below 1e-9."""
    rows = np.flatnonzero(present)
    if rows.size <= LABEL_SAMPLE:
        return False
    sample = col.iloc[rows[np.linspace(0, rows.size - 1, LABEL_SAMPLE).astype(np.int64)]]
    if _as_numbers(sample, decimal).notna().mean() >= 0.4:
        return False
    if decimal == "." and sample.astype(str).str.strip().str.fullmatch(_DECIMAL_COMMA.pattern).mean() >= 0.4:
        return False
    return True


def _refuse_decimal_commas(name: str, col: pd.Series, failed: np.ndarray) -> None:
    """A column of numbers written with a decimal comma, read with a decimal
    point, would become labels: an :class:`InputError` instead."""
    rows = np.flatnonzero(failed)
    sample = col.iloc[rows[:: max(1, rows.size // 200)]].astype(str).str.strip()
    if sample.str.fullmatch(_DECIMAL_COMMA.pattern).mean() >= MIN_NUMERIC_FRACTION:
        raise InputError(
            f"column '{name}' holds numbers written with a decimal comma (data row {rows[0] + 1}: "
            f"{col.iloc[rows[0]]!r}); pass --decimal , (and --sep if the fields are not separated by commas)"
        )


# ---------------------------------------------------------------- identifiers and dates


@dataclass(frozen=True)
class LeftOut:
    """A column left out of the estimates: an identifier or a date/time."""

    column: str
    kind: str  # "identifier" or "date"
    n_distinct: int = 0


def find_left_out(frame: pd.DataFrame, *, keep=()) -> list[LeftOut]:
    """Identifier and date/time columns of ``frame``.

    Identifier: a column of text or of integers whose present values (at
    least :data:`MIN_IDENTIFIER_ROWS` of them) are all distinct, such as an
    ID or a row number.  A column of floats is a measurement, whose values
    are all distinct too, and is never an identifier.  Date/time: a
    column of datetime, timedelta or period dtype, of date or time
    objects, or of text in which every value checked (up to
    :data:`DATE_SAMPLE`, evenly spread) is written as a date or a time
    (``2024-03-01``, ``01/03/2024``, ``3 Mar 2024``, ``10:30``, with an
    optional time and zone) and parses as one.  Words such as ``may`` are
    not dates.

    Parameters
    ----------
    frame : DataFrame
        The table.
    keep : iterable of str, default=()
        Columns never left out (the target, columns named by the user).

    Returns
    -------
    list of LeftOut
        In column order.
    """
    keep = {str(k) for k in keep}
    out = []
    for name in frame.columns:
        if str(name) in keep:
            continue
        col = frame[name]
        if _is_date(col):
            out.append(LeftOut(str(name), "date"))
            continue
        n_distinct = _all_distinct(col)
        if n_distinct:
            out.append(LeftOut(str(name), "identifier", n_distinct))
    return out


def _all_distinct(col: pd.Series) -> int:
    """The number of values of an identifier-like column, else 0."""
    dtype = col.dtype
    integer = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if not (integer or _is_text(dtype)):
        return 0
    present = col.dropna()
    if len(present) < MIN_IDENTIFIER_ROWS or not present.iloc[:1000].is_unique:
        return 0
    return len(present) if present.is_unique else 0


def _is_date(col: pd.Series) -> bool:
    dtype = col.dtype
    if (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        return True
    if not _is_text(dtype):
        return False
    present = col.dropna()
    if present.empty:
        return False
    picks = np.unique(np.linspace(0, len(present) - 1, min(DATE_SAMPLE, len(present))).astype(int))
    sample = present.iloc[picks].astype(object)
    kind = pd.api.types.infer_dtype(sample, skipna=True)
    if kind in ("date", "datetime", "datetime64", "time", "timedelta", "timedelta64", "period"):
        return True
    if kind != "string" or not all(_DATE.fullmatch(v) for v in sample):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notes on guessing day-first formats: this is only a probe
        try:
            parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
        except (TypeError, ValueError):  # pandas < 2 has no format="mixed"
            parsed = pd.to_datetime(sample, errors="coerce")
    return bool(parsed.notna().all())


def left_out_note(items: list[LeftOut], n_rows: int) -> str:
    """One sentence naming the columns left out, for the command line."""
    ids = [i for i in items if i.kind == "identifier"]
    dates = [i for i in items if i.kind == "date"]
    parts = []
    if ids:
        names = ", ".join(f"'{i.column}'" for i in ids)
        counts = {i.n_distinct for i in ids}
        detail = f"all {counts.pop()} values distinct" if len(counts) == 1 else "all values distinct"
        parts.append(f"identifier column{'s' if len(ids) > 1 else ''} {names} ({detail})")
    if dates:
        names = ", ".join(f"'{i.column}'" for i in dates)
        parts.append(f"date column{'s' if len(dates) > 1 else ''} {names}")
    return f"left out {' and '.join(parts)}; --keep-id-columns keeps them"
