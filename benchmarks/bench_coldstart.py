"""Cold start: the first fit of each public estimator, compiling, loading from
the numba cache, and once everything is in memory.

For each workload (small data, n = 500, p = 5, so that the time is the
compiler's):

* cold: a fresh process with ``NUMBA_CACHE_DIR`` set to an empty folder
  imports the estimator and fits once: every kernel it reaches compiles;
* warm: a fresh process with the same, now populated, folder: the kernels
  load from the cache;
* hot: the same fit a second time in the same process (the faster of the
  two processes).

The import of the estimator's module (scikit-learn, numba, the kernel
modules) is timed apart and not included in the fit times.  ``cpu s`` is
the processor time of the cold fit: compilation runs on one core, so on a
machine shared with other work it moves less than the wall time does.  ``sigs`` is the
number of numba signatures compiled in the cold process, summed over every
dispatcher of ``mifs._kernels.*`` (issue #13: each kernel should compile
once, so after all the workloads this equals the number of kernels used);
the kernels that compiled more than one signature in one workload are
listed under the table.  Then ``import mifs`` and ``from mifs import
KSGEstimator`` are timed in fresh processes.

Targets (issue #13): at most 8 s cold per estimator on 2 cores, and the sum
of the cold times at most half of the sum measured before the change
(``--json`` saves a run, ``--baseline`` prints the ratios against one).

Run:  python benchmarks/bench_coldstart.py [--only NAME ...] [--repeat N] [--json out.json] [--baseline old.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
N_SAMPLES, N_FEATURES = 500, 5
TARGET_COLD = 8.0


def make_data(n: int = N_SAMPLES, p: int = N_FEATURES) -> dict:
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    y_cont = X[:, :3] @ np.array([1.0, 0.7, 0.4]) + rng.standard_normal(n)
    y_class = np.digitize(y_cont, np.quantile(y_cont, [0.33, 0.66]))
    return dict(X=X, y_cont=y_cont, y_class=y_class)


# Each workload: (public name imported first, the fit). Plain user calls with
# default settings, on a C-ordered float64 matrix as a user would pass it.


def _ksg_regression(d):
    from mifs import KSGEstimator

    KSGEstimator(random_state=0).fit(d["X"], d["y_cont"])


def _ksg_classif(d):
    from mifs import KSGEstimator

    KSGEstimator(random_state=0).fit(d["X"], d["y_class"])


def _ksg_estimate(d):
    from mifs import KSGEstimator

    X = d["X"]
    KSGEstimator(random_state=0).estimate(X[:, 0], d["y_cont"], X[:, 1:3])


def _ranker(d):
    from mifs import MIRanker

    MIRanker(k=3, n_permutations=20, random_state=0).fit(d["X"], d["y_class"])


def _mrmr_mid(d):
    from mifs import MRMRSelector

    MRMRSelector(3, criterion="mid", random_state=0).fit(d["X"], d["y_class"])


def _mrmr_jmi(d):
    from mifs import MRMRSelector

    MRMRSelector(3, criterion="jmi", random_state=0).fit(d["X"], d["y_class"])


def _pairwise(d):
    from mifs import pairwise_mutual_information

    pairwise_mutual_information(d["X"], random_state=0)


def _splitter(d):
    from mifs import InfoGainSplitter

    InfoGainSplitter().fit(d["X"], d["y_class"]).transform(d["X"])


def _milc(d):
    from mifs import MIClassifier

    MIClassifier(random_state=0).fit(d["X"], d["y_class"])


#: name -> (public name, workload, description)
CASES = {
    "ksg_regression": ("KSGEstimator", _ksg_regression, "KSGEstimator().fit(X, y continuous)"),
    "ksg_classif": ("KSGEstimator", _ksg_classif, "KSGEstimator().fit(X, y classes)"),
    "ksg_estimate": ("KSGEstimator", _ksg_estimate, "KSGEstimator().estimate(x, y, z)"),
    "ranker_perm": ("MIRanker", _ranker, "MIRanker(n_permutations=20).fit(X, y classes)"),
    "mrmr_mid": ("MRMRSelector", _mrmr_mid, 'MRMRSelector(3, criterion="mid").fit(X, y classes)'),
    "mrmr_jmi": ("MRMRSelector", _mrmr_jmi, 'MRMRSelector(3, criterion="jmi").fit(X, y classes)'),
    "pairwise": ("pairwise_mutual_information", _pairwise, "pairwise_mutual_information(X)"),
    "splitter": ("InfoGainSplitter", _splitter, "InfoGainSplitter().fit(X, y classes).transform(X)"),
    "milc": ("MIClassifier", _milc, "MIClassifier().fit(X, y classes)"),
}
WORKLOADS = {name: case[1] for name, case in CASES.items()}


def kernel_signatures() -> dict[str, int]:
    """``module.function`` -> number of compiled signatures, for every numba
    dispatcher defined in a loaded ``mifs._kernels.*`` module."""
    from numba.core.dispatcher import Dispatcher

    out = {}
    for modname, module in list(sys.modules.items()):
        if module is None or not modname.startswith("mifs._kernels"):
            continue
        for obj in vars(module).values():
            if isinstance(obj, Dispatcher) and obj.py_func.__module__ == modname:
                out[f"{modname}.{obj.py_func.__name__}"] = len(obj.signatures)
    return out


CHILD = r"""
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
import bench_coldstart as bench
public, run, _ = bench.CASES[sys.argv[2]]
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import mifs
getattr(mifs, public)
t_import = time.perf_counter() - t0
data = bench.make_data()
t0, c0 = time.perf_counter(), time.process_time()
run(data)
t_first, c_first = time.perf_counter() - t0, time.process_time() - c0
sigs = bench.kernel_signatures()
t0 = time.perf_counter()
run(data)
t_hot = time.perf_counter() - t0
print(json.dumps(dict(import_s=t_import, first_s=t_first, first_cpu_s=c_first, hot_s=t_hot, sigs=sigs)))
"""

IMPORTS = {
    "import mifs": "import mifs",
    "from mifs import KSGEstimator": "from mifs import KSGEstimator",
}
IMPORT_CHILD = r"""
import sys, time
t0 = time.perf_counter()
exec(sys.argv[1])
print(time.perf_counter() - t0)
"""


def _child(args: list[str], cache_dir: str) -> str:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run(
        [sys.executable, "-c", *args], capture_output=True, text=True, env=env, cwd=HERE, timeout=900
    )
    if out.returncode:
        raise RuntimeError(f"child {args[1:]} failed:\n{out.stderr}")
    return out.stdout.strip().splitlines()[-1]


def measure(name: str) -> dict:
    """One cold and one warm process for workload ``name``, on a new cache folder."""
    cache_dir = tempfile.mkdtemp(prefix="mifs-coldstart-")
    try:
        cold = json.loads(_child([CHILD, HERE, name], cache_dir))
        warm = json.loads(_child([CHILD, HERE, name], cache_dir))
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return dict(
        import_s=cold["import_s"],
        cold_s=cold["first_s"],
        cold_cpu_s=cold["first_cpu_s"],
        warm_s=warm["first_s"],
        hot_s=min(cold["hot_s"], warm["hot_s"]),
        sigs=sum(cold["sigs"].values()),
        kernels=sum(1 for v in cold["sigs"].values() if v),
        multi={k: v for k, v in cold["sigs"].items() if v > 1},
    )


TIMES = ("import_s", "cold_s", "cold_cpu_s", "warm_s", "hot_s")
COLUMNS = f"{'workload':<15}{'import s':>9}{'cold s':>9}{'cpu s':>7}{'warm s':>9}{'hot s':>8}{'sigs':>6}{'kernels':>9}"


def _row(label: str, r: dict, ratio: str = "", call: str = "") -> str:
    flag = "*" if call and r["cold_s"] > TARGET_COLD else " "
    counts = f"{r['sigs']:>6}{r['kernels']:>9}" if "sigs" in r else f"{'':>15}"
    importing = f"{r['import_s']:>9.2f}" if "import_s" in r else f"{'':>9}"
    return (
        f"{label:<15}{importing}{r['cold_s']:>8.2f}{flag}{r['cold_cpu_s']:>7.2f}{r['warm_s']:>9.2f}"
        f"{r['hot_s']:>8.3f}{counts}{ratio}  {call}"
    ).rstrip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(CASES), help="run only these workloads")
    parser.add_argument("--repeat", type=int, default=1, help="runs per workload (the median is shown)")
    parser.add_argument("--no-imports", action="store_true", help="skip the timing of the imports")
    parser.add_argument("--json", help="save the results to this file")
    parser.add_argument("--baseline", help="a file saved with --json: print cold time ratios against it")
    args = parser.parse_args(argv)
    names = args.only or list(CASES)
    base = None
    if args.baseline:
        with open(args.baseline) as handle:
            base = json.load(handle)["workloads"]

    where = subprocess.run(
        [sys.executable, "-c", "import mifs; print(mifs.__file__)"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    print(f"mifs from {os.path.dirname(where)}")
    print(
        f"first fit per workload, n = {N_SAMPLES}, p = {N_FEATURES}; median of {args.repeat}; "
        f"{os.cpu_count()} cores; fit times exclude the import\n"
    )
    head = COLUMNS + (f"{'cold/base':>11}" if base else "") + "  call"
    print(head)
    print("-" * len(head))
    results = {}
    t_start = time.perf_counter()
    for name in names:
        runs = [measure(name) for _ in range(args.repeat)]
        r = {key: statistics.median(run[key] for run in runs) for key in TIMES}
        r.update(sigs=runs[0]["sigs"], kernels=runs[0]["kernels"], multi=runs[0]["multi"])
        results[name] = r
        ratio = ""
        if base:
            ratio = f"{r['cold_s'] / base[name]['cold_s']:>11.2f}" if name in base else f"{'-':>11}"
        print(_row(name, r, ratio, CASES[name][2]), flush=True)
    total = {key: sum(r[key] for r in results.values()) for key in TIMES[1:]}
    ratio = ""
    if base:
        base_cold = sum(base[n]["cold_s"] for n in names if n in base)
        ratio = f"{total['cold_s'] / base_cold:>11.2f}" if base_cold else ""
    print("-" * len(head))
    print(_row("sum", total, ratio))
    print(f"\n* over the target of {TARGET_COLD:.0f} s cold per estimator (issue #13)")
    multi = {name: r["multi"] for name, r in results.items() if r["multi"]}
    if multi:
        print("kernels compiled with more than one signature in one cold process:")
        for name, kernels in multi.items():
            listed = ", ".join(f"{k.removeprefix('mifs._kernels.')} x{v}" for k, v in sorted(kernels.items()))
            print(f"  {name:<15}{listed}")

    imports = {}
    if not args.no_imports:
        print(f"\nimports in a fresh process (empty numba cache), median of {args.repeat}:")
        for label, stmt in IMPORTS.items():
            times = []
            for _ in range(args.repeat):
                cache_dir = tempfile.mkdtemp(prefix="mifs-coldstart-")
                try:
                    times.append(float(_child([IMPORT_CHILD, stmt], cache_dir)))
                finally:
                    shutil.rmtree(cache_dir, ignore_errors=True)
            imports[label] = statistics.median(times)
            print(f"  {label:<32}{imports[label]:>7.2f} s")
    print(f"\nbenchmark wall time {time.perf_counter() - t_start:.0f} s")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"workloads": results, "imports": imports, "repeat": args.repeat}, handle, indent=1)
        print(f"saved {args.json}")


if __name__ == "__main__":
    main()
