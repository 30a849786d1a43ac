"""The command line's costs: start-up, reading a large CSV, the first run.

(a) Reading an ~80 MB CSV (400 000 rows, 20 numeric columns and a class
    column, generated into a temporary directory and deleted afterwards):
    ``pandas.read_csv`` (its default C parser, and pyarrow's), against
    mifs's ``read_table`` (pyarrow's parser, its default where installed,
    and the C parser) and against the command line's whole reading step
    (``read_table``, then the typing of the columns: numbers written as
    text, identifiers, dates).  Each reader runs in a fresh process, so
    that its peak memory (resident set size above the process's own before
    the call, sampled by ``_common.peak_extra``) is its own; pandas,
    pyarrow and mifs are imported and the file is read into the page cache
    before the call.  Best time of --repeat runs, largest peak.
(b) ``mifs --help`` (``python -m mifs --help`` and the console script) and
    ``python -c "import mifs"``: best of --repeat fresh processes.
(c) ``mifs demo`` in a fresh process with an empty numba cache
    (``NUMBA_CACHE_DIR`` pointed at a new temporary directory: every kernel
    compiles), then again with that cache filled (warm), and ``mifs warmup``
    on another empty cache followed by a demo.

Nothing generated is kept.

Run:  python benchmarks/bench_cli.py [--rows 400000] [--repeat 3] [--skip-demo]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

READERS = {
    "pandas.read_csv (C parser)": "import pandas as pd\nread = lambda: pd.read_csv(PATH)",
    "pandas.read_csv (pyarrow)": "import pandas as pd\nread = lambda: pd.read_csv(PATH, engine='pyarrow')",
    "mifs read_table": "from mifs._io import read_table\nread = lambda: read_table(PATH)",
    "mifs read_table (C parser)": "from mifs._io import read_table\nread = lambda: read_table(PATH, engine='c')",
    "mifs reading step (+ typing)": (
        "from mifs._io import read_table, parse_numbers, find_left_out\n"
        "def read():\n"
        "    frame = read_table(PATH)\n"
        "    frame, bad = parse_numbers(frame)\n"
        "    find_left_out(frame, keep=['label'])\n"
        "    return frame"
    ),
}

CHILD = """
import json, sys, time
sys.path.insert(0, {here!r})
from _common import peak_extra
import pandas, pyarrow, pyarrow.csv, mifs._io  # imported before the call, for every reader alike
PATH = {path!r}
with open(PATH, "rb") as handle:  # the file in the page cache
    while handle.read(1 << 24):
        pass
{setup}
extra, seconds = peak_extra(read)
print(json.dumps({{"seconds": seconds, "peak": extra}}))
"""


def make_csv(path: str, rows: int, seed: int = 0) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.standard_normal((rows, 20)), columns=[f"x{j}" for j in range(20)])
    frame["label"] = rng.choice(["a", "b", "c"], rows)
    frame.to_csv(path, index=False, float_format="%.6f")


def measure_reader(setup: str, path: str, repeat: int) -> tuple[float, int]:
    best, peak = float("inf"), 0
    for _ in range(repeat):
        code = CHILD.format(here=HERE, path=path, setup=setup)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        best = min(best, result["seconds"])
        peak = max(peak, result["peak"])
    return best, peak


def time_command(cmd: list[str], repeat: int, env: dict | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        best = min(best, time.perf_counter() - t0)
    return best


def reading(args) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_cli_") as tmp:
        path = os.path.join(tmp, "big.csv")
        t0 = time.perf_counter()
        make_csv(path, args.rows)
        size = os.path.getsize(path) / 1e6
        print(f"(a) reading a {size:.0f} MB CSV: {args.rows} rows x 21 columns "
              f"(written in {time.perf_counter() - t0:.0f} s); fresh process each, best of {args.repeat}\n")
        head = f"{'reader':<32}{'seconds':>9}{'peak MB':>10}{'time ratio':>12}{'memory ratio':>14}"
        print(head)
        print("-" * len(head))
        base = None
        for name, setup in READERS.items():
            seconds, peak = measure_reader(setup, path, args.repeat)
            if base is None:
                base = (seconds, peak)
            print(f"{name:<32}{seconds:>9.2f}{peak / 1e6:>10.0f}{seconds / base[0]:>11.2f}x{peak / base[1]:>13.2f}x")
        print("\nratios against pandas.read_csv with its defaults")


def startup(args) -> None:
    print(f"\n(b) start-up, fresh process, best of {args.repeat}\n")
    rows = [
        ("python -m mifs --help", [sys.executable, "-m", "mifs", "--help"]),
        ('python -c "import mifs"', [sys.executable, "-c", "import mifs"]),
        ('python -c "pass" (the interpreter alone)', [sys.executable, "-c", "pass"]),
    ]
    script = shutil.which("mifs")
    if script:
        rows.insert(1, ("mifs --help (console script)", [script, "--help"]))
    for name, cmd in rows:
        print(f"{name:<44}{time_command(cmd, args.repeat):>7.3f} s")


def first_run(args) -> None:
    print("\n(c) mifs demo (199 permutations), fresh process\n")
    with tempfile.TemporaryDirectory(prefix="bench_cli_numba_") as tmp:
        env = {**os.environ, "NUMBA_CACHE_DIR": os.path.join(tmp, "demo")}
        demo = [sys.executable, "-m", "mifs", "demo"]
        print(f"{'cold: empty numba cache, every kernel compiles':<52}{time_command(demo, 1, env):>7.1f} s")
        print(f"{'warm: the same cache, filled':<52}{time_command(demo, args.repeat, env):>7.1f} s")
        env = {**os.environ, "NUMBA_CACHE_DIR": os.path.join(tmp, "warmup")}
        warm = time_command([sys.executable, "-m", "mifs", "warmup"], 1, env)
        print(f"{'mifs warmup on an empty cache':<52}{warm:>7.1f} s")
        print(f"{'demo after mifs warmup':<52}{time_command(demo, 1, env):>7.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true", help="leave out (c), which compiles for a minute")
    args = parser.parse_args(argv)
    reading(args)
    startup(args)
    if not args.skip_demo:
        first_run(args)


if __name__ == "__main__":
    main()
