"""The command line: ``mifs rank|mrmr|pairwise|split|demo|warmup`` and its table reader."""

import bz2
import gzip
import io
import json
import lzma
import os
import subprocess
import sys
import warnings
from importlib.metadata import entry_points, version

import numpy as np
import pandas as pd
import pytest

from mifs.__main__ import MRMR_CRITERIA, Console, build_parser, main, shown_warnings
from mifs._io import InputError, find_left_out, parse_numbers, read_table, sniff_decimal, sniff_separator

N = 300


def _columns(seed=0, n=N):
    rng = np.random.default_rng(seed)
    signal = rng.standard_normal(n)
    colour = rng.choice(["red", "blue"], n)
    return {
        "signal": signal,
        "noise": rng.standard_normal(n),
        "colour": colour,
        "count": rng.integers(0, 4, n),
        "label": np.where(signal + (colour == "red") > 0.5, "sick", "well"),
    }


def write_csv(path, columns, *, sep=",", decimal=".", cells=None, header=None, bom=False):
    """Write ``columns`` as CSV; ``cells`` maps (row, column) to raw text that replaces a cell."""
    names = list(columns)
    n = len(next(iter(columns.values())))
    lines = [header or sep.join(names)]
    for i in range(n):
        row = []
        for name in names:
            value = columns[name][i]
            text = f"{value:.6f}" if isinstance(value, float) else str(value)
            if decimal == ",":
                text = text.replace(".", ",")
            row.append((cells or {}).get((i, name), text))
        lines.append(sep.join(row))
    data = ("\ufeff" if bom else "") + "\n".join(lines) + "\n"
    path.write_bytes(data.encode("utf-8"))
    return path


@pytest.fixture
def csv_file(tmp_path):
    return write_csv(tmp_path / "data.csv", _columns())


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def messages(err):
    """stderr without the kernels' one-time compile notice."""
    return [line for line in err.splitlines() if "compiling" not in line]


def ranked(out):
    """Feature names in the order of a ranking table."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    names = []
    for line in lines[start:]:
        if not line.strip():
            break
        names.append(line.split()[1])
    return names


def one_error(code, out, err, *needles):
    assert code == 2 and out == ""
    lines = messages(err)
    assert len(lines) == 1 and lines[0].startswith("mifs: error:"), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


# ---------------------------------------------------------------- the demo and the basic ranking


def test_demo(capsys):
    code, out, err = run(["demo", "--permutations", "19"], capsys)
    assert code == 0 and messages(err) == []
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("rank"))
    assert "MI (nats)" in lines[header] and "MI (bits)" in lines[header] and "p-value" in lines[header]
    first = lines[header + 2].split()
    assert first[0] == "1" and "worst" in first[1]  # the 'worst ...' size features lead
    ranking = lines[header + 2 : header + 32]
    assert [int(line.split()[0]) for line in ranking] == list(range(1, 31))
    assert "Fano" in out and "label entropy" in out
    steps = lines[lines.index(next(line for line in lines if line.lstrip().startswith("step"))) + 1 :]
    assert [line.split()[0] for line in steps if line[:4].strip().isdigit()] == ["1", "2", "3", "4", "5"]


def test_rank_table_csv_json_and_output(csv_file, capsys, tmp_path):
    code, out, err = run(["rank", csv_file, "--target", "label", "--permutations", "19"], capsys)
    assert code == 0, err
    assert ranked(out)[:2] == ["signal", "colour"]
    assert "Fano" in out
    code, out, _ = run(["rank", csv_file, "--target", "label", "--format", "csv", "--k", "2"], capsys)
    assert out.splitlines()[0] == "rank,feature,mi_nats,mi_bits"
    assert [line.split(",")[1] for line in out.splitlines()[1:3]] == ["signal", "colour"]
    target = tmp_path / "ranking.json"
    code, out, _ = run(["rank", csv_file, "--target", "label", "--format", "json", "--output", target], capsys)
    assert code == 0 and out == ""
    payload = json.loads(target.read_text())
    assert payload["target"] == "label" and payload["n_classes"] == 2
    assert {f["feature"] for f in payload["features"]} == {"signal", "noise", "colour", "count"}
    nats = {f["feature"]: f["mi_nats"] for f in payload["features"]}
    bits = {f["feature"]: f["mi_bits"] for f in payload["features"]}
    assert nats["signal"] == pytest.approx(bits["signal"] * np.log(2))
    assert 0 <= payload["fano_error_lower_bound"] <= 0.5
    assert payload["fano_feature"] == "signal" and payload["columns_left_out"] == []


def test_csv_output_carries_label_entropy_and_fano(csv_file, capsys):
    code, out, err = run(["rank", csv_file, "--target", "label", "--format", "csv"], capsys)
    assert code == 0, err
    trailer = [line for line in out.splitlines() if line.startswith("#")]
    assert len(trailer) == 2
    assert trailer[0].startswith("# label entropy H(label) =") and "2 classes" in trailer[0]
    assert trailer[1].startswith("# Fano: any classifier that uses only 'signal' errs with probability >=")
    table = pd.read_csv(io.StringIO(out), comment="#")
    assert list(table.columns) == ["rank", "feature", "mi_nats", "mi_bits"] and len(table) == 4
    code, table_out, _ = run(["rank", csv_file, "--target", "label"], capsys)
    assert trailer[1][2:] in table_out  # the same line as the table's


def test_rank_continuous_target_and_discrete_flag(csv_file, capsys):
    code, out, err = run(
        ["rank", csv_file, "--target", "signal", "--discrete", "count", "--neighbors", "5", "--format", "json"],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    assert "fano_error_lower_bound" not in payload  # no classes, no Fano bound
    assert payload["features"][0]["feature"] == "label"


def test_rank_parquet(csv_file, capsys, tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "data.parquet"
    pd.read_csv(csv_file).to_parquet(path)
    code, out, err = run(["rank", path, "--target", "label", "--format", "csv"], capsys)
    assert code == 0, err
    assert out.splitlines()[1].split(",")[1] == "signal"
    renamed = tmp_path / "data.bin"  # recognised by its content, not its name
    path.rename(renamed)
    code, out2, _ = run(["rank", renamed, "--target", "label", "--format", "csv"], capsys)
    assert code == 0 and out2 == out


# ---------------------------------------------------------------- cells that are not numbers


@pytest.mark.parametrize("junk", ["?", "n.a.", "0.51\x00", "\x00"])
def test_a_bad_cell_in_a_numeric_column_is_reported_never_ranked_as_labels(tmp_path, capsys, junk):
    path = write_csv(tmp_path / "data.csv", _columns(), cells={(16, "noise"): junk})
    code, out, err = run(["rank", path, "--target", "label"], capsys)
    one_error(code, out, err, "column 'noise': 1 cell is not a number", "data row 17", repr(junk), "--missing pairwise")
    code, out, err = run(["rank", path, "--target", "label", "--missing", "pairwise", "--format", "json"], capsys)
    assert code == 0
    warned = [line for line in messages(err) if line.startswith("mifs: warning:")]
    assert len(warned) == 1 and "column 'noise': 1 cell is not a number" in warned[0] and "missing" in warned[0]
    features = {f["feature"]: f for f in json.loads(out)["features"]}
    assert features["noise"]["rows_used"] == N - 1 and features["signal"]["rows_used"] == N
    assert features["noise"]["mi_nats"] < 0.1  # a number column, not 299 labels scoring about H(y) = 0.69
    assert features["noise"]["rank"] > 2


def test_pandas_missing_markers_are_missing_values(tmp_path, capsys):
    path = write_csv(tmp_path / "data.csv", _columns(), cells={(16, "noise"): "N/A", (20, "signal"): ""})
    code, out, err = run(["rank", path, "--target", "label"], capsys)
    one_error(code, out, err, "column 'signal' has a missing value on data row 21", "--missing pairwise")
    code, out, err = run(["rank", path, "--target", "label", "--missing", "pairwise"], capsys)
    assert code == 0
    (note,) = [line for line in messages(err) if "missing values" in line]
    assert note.startswith("mifs: note:") and "'signal' 1" in note and "'noise' 1" in note
    assert ranked(out)[0] == "signal" and "rows" in out.splitlines()[0]


def test_many_distinct_non_numbers_make_a_column_of_labels():
    frame = pd.DataFrame({"x": [str(v) for v in range(60)] + [f"w{v}" for v in range(20)]})
    converted, bad = parse_numbers(frame)
    assert bad == [] and converted["x"].dtype == frame["x"].dtype  # 25 % distinct words: labels
    frame = pd.DataFrame({"x": [str(v) for v in range(60)] + ["?"] * 20})
    converted, bad = parse_numbers(frame)  # one marker repeated: numbers with missing values
    assert converted["x"].dtype == np.float64 and len(bad[0].rows) == 20 and converted["x"].isna().sum() == 20
    assert frame["x"].dtype != np.float64  # the input is not modified


def test_a_column_named_discrete_stays_labels(tmp_path, capsys):
    cols = _columns()
    cols["grade"] = np.where(cols["signal"] > 0, "1", "2")
    path = write_csv(tmp_path / "data.csv", cols, cells={(3, "grade"): "A"})
    code, out, err = run(["rank", path, "--target", "label"], capsys)
    one_error(code, out, err, "column 'grade'", "--discrete grade")
    code, out, err = run(["rank", path, "--target", "label", "--discrete", "grade,count", "--format", "json"], capsys)
    assert code == 0, err
    assert "grade" in {f["feature"] for f in json.loads(out)["features"]}


# ---------------------------------------------------------------- separators, quoting, encodings


def test_semicolons_and_decimal_commas_are_sniffed_or_given(tmp_path, capsys, csv_file):
    path = write_csv(tmp_path / "euro.csv", _columns(), sep=";", decimal=",")
    assert path.read_text().splitlines()[1].count(",") == 2  # signal and noise
    code, reference, _ = run(["rank", csv_file, "--target", "label", "--format", "json"], capsys)
    code, out, err = run(["rank", path, "--target", "label", "--format", "json"], capsys)
    assert code == 0, err
    (note,) = messages(err)
    assert note.startswith("mifs: note:") and "decimal comma" in note and "';'" in note
    assert json.loads(out)["features"] == json.loads(reference)["features"]
    given = ["--sep", ";", "--decimal", ",", "--format", "json"]
    code, out, err = run(["rank", path, "--target", "label", *given], capsys)
    assert code == 0 and messages(err) == []
    assert json.loads(out)["features"] == json.loads(reference)["features"]
    code, out, err = run(["rank", path, "--target", "label", "--decimal", "."], capsys)
    one_error(code, out, err, "column 'signal'", "decimal comma", "--decimal ,")  # never 300 labels


def test_sniffers():
    assert sniff_separator("a;b;c\n1,5;2,5;x\n3,5;4;y\n") == ";"
    assert sniff_separator("a,b,c\n1.5,2.5,x\n") == ","
    assert sniff_separator("a\tb\n1\t2\n") == "\t"
    assert sniff_separator("a|b\n1|2\n") == "|"
    assert sniff_decimal("a;b\n1,5;2\n", ";") == ","
    assert sniff_decimal("a;b\n1,5;2.5\n", ";") == "."
    assert sniff_decimal("a,b\n1,5\n", ",") == "."


def test_quoted_header_bom_and_compressed_files(tmp_path, capsys):
    cols = _columns()
    path = write_csv(tmp_path / "quoted.csv", cols, header='"sig""nal","noise, raw",colour,count,label', bom=True)
    code, out, err = run(["rank", path, "--target", "label", "--format", "json"], capsys)
    assert code == 0, err
    names = [f["feature"] for f in json.loads(out)["features"]]
    assert names[0] == 'sig"nal' and "noise, raw" in names
    plain = write_csv(tmp_path / "plain.csv", cols).read_bytes()
    for suffix, compress in ((".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)):
        packed = tmp_path / f"data.csv{suffix}"
        packed.write_bytes(compress(plain))
        code, out, err = run(["rank", packed, "--target", "label", "--format", "csv"], capsys)
        assert code == 0, err
        assert out.splitlines()[1].split(",")[1] == "signal"


@pytest.mark.parametrize("engine", ["pyarrow", "c"])
def test_reader_errors(tmp_path, engine):
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    cases = {
        b"a,a,label\n1,2,x\n": "repeats the column name 'a'",
        b"a,b\n1,\xff\n": "not a UTF-8 text file",
        b"a,b\n" + b"1,x\n" * 30000 + b"2,\xff\n": "UTF-8",  # beyond the head the parser finds it
        b"a,b,label\n1,2,x\n3,4\n": "data row 2 has 2 fields but the header has 3",
        b"a,b,label\n1,2,x\n3,4,5,6\n": "data row 2 has 4 fields but the header has 3",
        b"a,b,label\n": "no data rows",
        b"\n\n  \n": "empty",
    }
    for content, message in cases.items():
        path = tmp_path / "bad.csv"
        path.write_bytes(content)
        with pytest.raises(InputError, match=message):
            read_table(path, engine=engine)


# ---------------------------------------------------------------- identifiers and dates


def test_identifier_and_date_columns_are_left_out_with_a_note(tmp_path, capsys):
    cols = _columns()
    cols = {
        "id": [f"P{i:05d}" for i in range(N)],
        "row": np.arange(N),
        "when": [f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(N)],
        **cols,
    }
    order = np.argsort(cols["label"], kind="stable")  # rows sorted by class: the row number "predicts" it
    cols = {k: np.asarray(v)[order] for k, v in cols.items()}
    path = write_csv(tmp_path / "data.csv", cols)
    code, out, err = run(["rank", path, "--target", "label"], capsys)
    assert code == 0, err
    (note,) = messages(err)
    assert note == (
        "mifs: note: left out identifier columns 'id', 'row' (all 300 values distinct) and date column 'when'; "
        "--keep-id-columns keeps them"
    )
    assert set(ranked(out)) == {"signal", "noise", "colour", "count"}
    assert ">= 0.0000" not in out
    code, out, err = run(["rank", path, "--target", "label", "--keep-id-columns"], capsys)
    assert code == 0
    assert {"id", "row", "when"} <= set(ranked(out))
    assert any("'when' kept as seconds since 1970-01-01" in line for line in messages(err))
    assert any(line.startswith("mifs: warning:") for line in messages(err))  # the id column scores about H(y)


def test_an_empty_column_is_left_out_with_a_note(tmp_path, capsys):
    cols = _columns()
    path = write_csv(tmp_path / "data.csv", {**cols, "blank": [""] * N})
    code, out, err = run(["rank", path, "--target", "label"], capsys)
    assert code == 0
    assert messages(err) == ["mifs: note: left out empty column 'blank' (no values)"]
    assert "blank" not in out


def test_what_is_not_an_identifier_or_a_date():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "measurement": rng.standard_normal(100),  # all distinct, but a float measurement
            "words": rng.choice(["may", "june", "march", "today"], 100),  # words pandas would parse as dates
            "versions": [f"1.{i % 5}.{i % 7}" for i in range(100)],
            "short_ids": np.arange(10).tolist() * 10,
            "date": pd.date_range("2024-01-01", periods=100),
            "stamp": [f"03/01/2024 10:{i % 60:02d}" for i in range(100)],
        }
    )
    found = {item.column: item.kind for item in find_left_out(frame)}
    assert found == {"date": "date", "stamp": "date"}
    head = frame.iloc[:10]  # fewer than 20 rows: distinct values are no sign of an identifier
    assert head["short_ids"].is_unique
    assert {item.column for item in find_left_out(head)} == {"date", "stamp"}


# ---------------------------------------------------------------- files that cannot be read


def test_directory_fifo_and_unreadable_file_exit_2_at_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    locked = write_csv(tmp_path / "locked.csv", _columns())
    locked.chmod(0)
    cases = [(tmp_path, "is a directory"), (fifo, "is a FIFO")]
    if os.geteuid() != 0:  # root reads a file whatever its permissions
        cases.append((locked, "permission denied"))
    for path, message in cases:
        proc = subprocess.run(
            [sys.executable, "-m", "mifs", "rank", str(path), "--target", "label"],
            capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 2 and proc.stdout == ""
        (line,) = messages(proc.stderr)
        assert line.startswith(f"mifs: error: {path}: {message}")


@pytest.mark.parametrize(
    "content, args, message",
    [
        (None, ["--target", "label"], "no such file"),
        ("", ["--target", "label"], "empty"),
        ("a,b,label\n", ["--target", "label"], "no data rows"),
        ("a,b,label\n1,2,x\n3,4\n", ["--target", "label"], "row 2 has 2 fields"),
        ("a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n", ["--target", "label"], "1 class"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "nope"], "unknown target column 'nope'"),
        ("a,b,label\n1,,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label"], "missing value"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--discrete", "zz"], "unknown column: zz"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--neighbors", "9"], "at least 10 samples"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--k", "0"], "--k: must be >= 1"),
        ("a,label\n1,x\n3,y\n5,x\n7,y\n", ["--target", "label", "--target-type", "continuous"], "holds labels"),
        ("label\nx\ny\n", ["--target", "label"], "no column besides the target"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_text(content)
    code, out, err = run(["rank", path, *args], capsys)
    one_error(code, out, err, message)


# ---------------------------------------------------------------- output files


def test_output_never_overwrites_the_input_and_needs_force(csv_file, capsys, tmp_path):
    before = csv_file.read_bytes()
    code, out, err = run(["rank", csv_file, "--target", "label", "--output", csv_file, "--force"], capsys)
    one_error(code, out, err, "is the input file")
    link = tmp_path / "link.csv"
    link.symlink_to(csv_file)
    code, out, err = run(["rank", link, "--target", "label", "--output", csv_file, "--force"], capsys)
    one_error(code, out, err, "is the input file")
    assert csv_file.read_bytes() == before
    existing = tmp_path / "ranking.csv"
    existing.write_text("keep me\n")
    code, out, err = run(["rank", csv_file, "--target", "label", "--output", existing], capsys)
    one_error(code, out, err, "exists; pass --force")
    assert existing.read_text() == "keep me\n"
    code, out, err = run(["rank", csv_file, "--target", "label", "--output", existing, "--force"], capsys)
    assert code == 0 and out == ""
    assert existing.read_text().startswith("rank,feature,mi_nats")  # the format follows the suffix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "link.csv", "ranking.csv"]  # no temp left


def test_output_errors(csv_file, capsys, tmp_path):
    code, out, err = run(["rank", csv_file, "--target", "label", "--output", tmp_path / "no" / "x.json"], capsys)
    one_error(code, out, err, "no such directory")
    code, out, err = run(["rank", csv_file, "--target", "label", "--output", tmp_path], capsys)
    one_error(code, out, err, "is a directory")
    code, out, err = run(["pairwise", csv_file, "--format", "parquet"], capsys)
    one_error(code, out, err, "--output FILE")


# ---------------------------------------------------------------- warnings


def test_library_warnings_are_shown_once_each(capsys):
    console = Console()
    with shown_warnings(console):
        for _ in range(3):
            warnings.warn("Pass discrete_target=False to treat it otherwise.", UserWarning)
        warnings.warn("another one", UserWarning)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "mifs: warning: Pass --target-type continuous to treat it otherwise.",
        "mifs: warning: another one",
    ]


def test_warnings_of_a_run_reach_stderr(csv_file, capsys):
    code, out, err = run(["mrmr", csv_file, "--target", "label", "--n", "9"], capsys)
    assert code == 0
    warned = [line for line in messages(err) if line.startswith("mifs: warning:")]
    assert len(warned) == 1 and "greater than n_features=4" in warned[0]


def test_quiet_drops_notes_not_warnings(tmp_path, capsys):
    cols = {"id": np.arange(N), **_columns()}
    path = write_csv(tmp_path / "data.csv", cols, cells={(5, "noise"): "?"})
    code, out, err = run(["rank", path, "--target", "label", "--missing", "pairwise", "--quiet"], capsys)
    assert code == 0
    assert [line.split(":")[1] for line in messages(err)] == [" warning"]


def test_progress_bar_only_when_asked(csv_file, capsys):
    code, out, err = run(["rank", csv_file, "--target", "label", "--permutations", "9"], capsys)
    assert code == 0 and "%|" not in err  # stderr is not a terminal here: no bar
    code, with_bar, err = run(["rank", csv_file, "--target", "label", "--permutations", "9", "--progress"], capsys)
    assert code == 0 and "%|" in err and with_bar == out
    code, _, err = run(["rank", csv_file, "--target", "label", "--progress", "--quiet"], capsys)
    assert code == 0 and messages(err) == []


# ---------------------------------------------------------------- the other subcommands


def test_mrmr_outputs(csv_file, capsys):
    code, out, err = run(["mrmr", csv_file, "--target", "label", "--n", "3", "--criterion", "jmi"], capsys)
    assert code == 0, err
    assert out.splitlines()[0].split()[:5] == ["step", "feature", "relevance", "redundancy", "jmi"]
    code, out, _ = run(["mrmr", csv_file, "--target", "label", "--n", "2", "--format", "csv"], capsys)
    assert out.splitlines()[0] == "step,feature,relevance_nats,redundancy_nats,criterion"
    assert out.splitlines()[1].split(",")[1] == "signal"
    code, out, _ = run(["mrmr", csv_file, "--target", "label", "--n", "2", "--criterion", "cmim", "-o", "-"], capsys)
    assert code == 0 and out.startswith("step")  # -o - is stdout
    code, out, _ = run(["mrmr", csv_file, "--target", "label", "--n", "2", "--criterion", "cmim", "--format", "json"], capsys)
    payload = json.loads(out)
    assert payload["criterion"] == "cmim" and [s["step"] for s in payload["steps"]] == [1, 2]
    assert payload["steps"][0]["redundancy_nats"] == 0


def test_mrmr_criteria_are_the_selectors():
    from mifs._mrmr import CRITERIA

    assert tuple(MRMR_CRITERIA) == tuple(CRITERIA)


def test_pairwise_outputs(csv_file, capsys, tmp_path):
    code, out, err = run(["pairwise", csv_file, "--format", "json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    names = payload["features"]
    assert names == ["signal", "noise", "colour", "count", "label"]
    matrix = np.array([[np.nan if v is None else v for v in row] for row in payload["mi_nats"]])
    assert np.allclose(matrix, matrix.T, equal_nan=True)
    assert np.isnan(matrix[0, 0]) and matrix[2, 2] == pytest.approx(np.log(2), abs=0.01)  # H(colour)
    assert matrix[0, 4] == max(matrix[0, 1:])  # signal shares most with label
    code, out, _ = run(["pairwise", csv_file, "--columns", "signal,label", "--format", "csv"], capsys)
    table = pd.read_csv(io.StringIO(out), index_col="feature")
    assert list(table.columns) == ["signal", "label"] and table.loc["signal", "label"] == pytest.approx(matrix[0, 4])
    code, out, _ = run(["pairwise", csv_file, "--columns", "signal,noise"], capsys)
    assert out.splitlines()[0].split() == ["MI", "(nats)", "signal", "noise"]
    pytest.importorskip("pyarrow")
    target = tmp_path / "mi.parquet"
    code, out, err = run(["pairwise", csv_file, "--output", target], capsys)
    assert code == 0 and out == "", err
    frame = pd.read_parquet(target)
    assert list(frame["feature"]) == names and frame.shape == (5, 6)


def test_split_outputs(csv_file, capsys):
    code, out, err = run(["split", csv_file, "--target", "label"], capsys)
    assert code == 0, err
    assert any("left out column of labels 'colour'" in line for line in messages(err))
    lines = out.splitlines()
    assert lines[2].split()[0] == "signal" and "best split for 'label': signal <=" in out
    code, out, _ = run(["split", csv_file, "--target", "label", "--format", "json"], capsys)
    payload = json.loads(out)
    best = payload["features"][0]
    assert payload["best"]["feature"] == best["feature"] == "signal"
    assert best["n_bins"] == len(best["cut_points"]) + 1 >= 2 and best["gain"] > 0.2
    assert all(isinstance(c, float) for c in best["cut_points"]) and best["threshold"] in best["cut_points"]
    code, out, _ = run(["split", csv_file, "--target", "label", "--format", "csv", "--criterion", "gini"], capsys)
    assert out.splitlines()[0] == "feature,threshold,gain,n_bins,cut_points"
    code, out, err = run(["split", csv_file, "--target", "signal"], capsys)
    one_error(code, out, err, "needs a class target", "--target-type discrete")
    code, out, err = run(["split", csv_file, "--target", "count", "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["features"][0]["feature"] != "count"


def test_split_with_missing_values(tmp_path, capsys):
    path = write_csv(tmp_path / "data.csv", _columns(), cells={(3, "signal"): "", (4, "label"): ""})
    code, out, err = run(["split", path, "--target", "label", "--missing", "pairwise", "--format", "json"], capsys)
    assert code == 0, err
    rows = {f["feature"]: f["rows_used"] for f in json.loads(out)["features"]}
    assert rows == {"signal": N - 2, "noise": N - 1, "count": N - 1}


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"mifs {version('mifs')}"


def test_warmup_runs_every_estimator():
    from mifs._warmup import STEPS, warmup

    stream = io.StringIO()
    seconds = warmup(stream=stream)
    assert seconds > 0 and len(stream.getvalue().splitlines()) == len(STEPS)


def test_warmup_command(capsys, monkeypatch):
    import mifs._warmup as warm

    calls = []
    monkeypatch.setattr(warm, "STEPS", [("a tiny step", lambda data: calls.append(sorted(data)))])
    code, out, err = run(["warmup"], capsys)
    assert code == 0 and len(calls) == 1 and "X" in calls[0]
    assert "a tiny step" in err and out.startswith("mifs warmup: every kernel compiled")


def test_the_cli_page_shows_what_the_commands_print(tmp_path, capsys, monkeypatch):
    import re
    import shlex
    from pathlib import Path

    from sklearn.datasets import load_wine

    monkeypatch.chdir(tmp_path)
    X, y = load_wine(return_X_y=True, as_frame=True)
    X.assign(cultivar=y).to_csv("wine.csv", index=False)
    page = (Path(__file__).resolve().parent.parent / "docs" / "guide" / "cli.md").read_text(encoding="utf-8")
    checked = 0
    for command, shown in re.findall(r"^```text\n\$ mifs (.*?)\n(.*?)^```", page, re.M | re.S):
        if "wine.csv" not in shlex.split(command) or "json" in command:
            continue
        code, out, err = run(shlex.split(command), capsys)
        assert code == 0, err
        pattern = "\n".join(".*?" if line == "..." else re.escape(line) for line in shown.rstrip("\n").splitlines())
        assert re.fullmatch(pattern, out.rstrip("\n"), re.S), f"mifs {command}\n{out}"
        checked += 1
    assert checked == 5


# ---------------------------------------------------------------- start-up and entry points


def test_help_imports_only_the_standard_library():
    code = (
        "import sys; from mifs.__main__ import build_parser; build_parser(); "
        "print(sorted(m for m in ('numpy', 'pandas', 'sklearn', 'numba', 'scipy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    proc = subprocess.run([sys.executable, "-m", "mifs", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "rank" in proc.stdout and "warmup" in proc.stdout
    assert build_parser().prog == "mifs"


def test_module_entry_point_end_to_end(csv_file):
    proc = subprocess.run(
        [sys.executable, "-m", "mifs", "rank", str(csv_file), "--target", "label", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].split(",")[1] == "signal"
    bad = subprocess.run(
        [sys.executable, "-m", "mifs", "rank", "/nonexistent.csv", "--target", "y"],
        capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.strip() == "mifs: error: /nonexistent.csv: no such file"


def test_console_script_is_declared():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "mifs"]
    assert script.value == "mifs.__main__:main"
    assert script.load() is main
