"""The command line: ``python -m mifs demo`` and ``python -m mifs rank``."""

import json
import subprocess
import sys
from importlib.metadata import entry_points

import numpy as np
import pytest

from mifs.__main__ import main


@pytest.fixture
def csv_file(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    signal = rng.standard_normal(n)
    colour = rng.choice(["red", "blue"], n)
    label = np.where(signal + (colour == "red") > 0.5, "sick", "well")
    lines = ["signal,noise,colour,count,label"]
    for i in range(n):
        lines.append(f"{signal[i]:.6f},{rng.standard_normal():.6f},{colour[i]},{rng.integers(0, 4)},{label[i]}")
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_demo(capsys):
    code, out, err = run(["demo", "--permutations", "19"], capsys)
    assert code == 0 and err == ""
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
    rows = [line.split() for line in out.splitlines()[2:6]]
    assert [r[1] for r in rows[:2]] == ["signal", "colour"]
    assert "Fano" in out
    code, out, _ = run(["rank", csv_file, "--target", "label", "--format", "csv", "--k", "2"], capsys)
    assert out.splitlines()[0] == "rank,feature,mi_nats,mi_bits"
    assert [line.split(",")[1] for line in out.splitlines()[1:]] == ["signal", "colour"]
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
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    pq.write_table(pyarrow.csv.read_csv(str(csv_file)), path)
    code, out, err = run(["rank", path, "--target", "label", "--format", "csv"], capsys)
    assert code == 0, err
    assert out.splitlines()[1].split(",")[1] == "signal"
    assert pa is not None


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
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--discrete", "zz"], "unknown columns: zz"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--neighbors", "9"], "at least 10 samples"),
        ("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", ["--target", "label", "--k", "0"], "--k must be >= 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_text(content)
    code, out, err = run(["rank", path, *args], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("mifs: error:")
    assert message in err
    assert "Traceback" not in err


def test_module_entry_point_end_to_end(csv_file):
    proc = subprocess.run(
        [sys.executable, "-m", "mifs", "rank", str(csv_file), "--target", "label", "--format", "csv"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].split(",")[1] == "signal"
    bad = subprocess.run(
        [sys.executable, "-m", "mifs", "rank", "/nonexistent.csv", "--target", "y"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.strip() == "mifs: error: /nonexistent.csv: no such file"


def test_console_script_is_declared():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "mifs"]
    assert script.value == "mifs.__main__:main"
    assert script.load() is main
