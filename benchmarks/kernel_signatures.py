"""Which numba kernels compile more than one signature, and who asks for them.

Runs the test suite in this process (``pytest.main``) with ``NUMBA_CACHE_DIR``
pointed at an empty folder, then lists every kernel of ``mifs._kernels`` that
holds more than one compiled signature, with the argument types of each
(dtype, ndim, layout C/F/A, read-only) and the argument positions where the
signatures differ.  Each kernel should compile exactly once (issue #13); every
extra signature is one more compilation on a cold start.

Signatures are gathered from two places:

* the dispatchers of this process after the session (``d.signatures``);
* the numba cache index files (``*.nbi``) in the fresh cache folder, which
  also hold the signatures compiled in subprocesses that the tests start
  (command line, documentation examples, loky workers) and the ones this
  process loaded from the cache (a kernel loaded from the cache does not
  compile, nor list, the kernels it calls).

While the tests run, ``Dispatcher.compile`` is wrapped: the first time a
signature appears in this process, the first frame in ``mifs/`` outside the
kernels (the call site), the first frame in ``tests/`` and the running test
are recorded, or, for a kernel called from another kernel, that kernel and
its signature.  Subprocesses record no call site ("subprocess" in the list).

Each signature is shown with the time its compilation took in this process
(its own, without the kernels it calls), and the kernels with several
signatures with the time the extra ones cost.

Run:  python benchmarks/kernel_signatures.py [--workload tests|estimators] [--json out.json] [-- pytest args]

Arguments after ``--`` go to pytest (default: the configured test paths,
``tests`` and the doctests of ``mifs``; about 3 minutes on 2 cores).
``--workload estimators`` runs the workloads of ``bench_coldstart.py`` once
each, then a few on pandas, read-only memory-mapped, Fortran-ordered,
float32 and int32 input, instead of the test suite (about 30 s).
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import inspect
import json
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
import traceback

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(ROOT, "tests") + os.sep
#: the mifs that is imported (this checkout, or another one on PYTHONPATH)
PACKAGE = os.path.dirname(importlib.util.find_spec("mifs").origin) + os.sep
KERNELS = os.path.join(PACKAGE, "_kernels") + os.sep


# ---------------------------------------------------------------- type names


def type_name(t) -> str:
    """Compact name of a numba type: ``float64[1d,C]``, ``int64[2d,A,ro]``."""
    from numba.core import types

    if isinstance(t, types.Array):
        flags = [f"{t.ndim}d", t.layout] + (["ro"] if not t.mutable else [])
        return f"{t.dtype}[{','.join(flags)}]"
    if isinstance(t, types.BaseTuple) and not isinstance(t, types.UniTuple):
        return "(" + ", ".join(type_name(x) for x in t.types) + ")"
    if isinstance(t, types.UniTuple):
        return f"({type_name(t.dtype)} x{t.count})"
    if isinstance(t, types.Omitted):
        return f"omitted={t.value!r}"
    return str(t)


def sig_key(sig) -> tuple:
    return tuple(type_name(t) for t in sig)


# ------------------------------------------------------- who compiles what

_records: dict[tuple[str, tuple], dict] = {}  # (kernel, sig names) -> where it first appeared
_local = threading.local()
_current_test = ["(collection)"]


def _qualname(d) -> str:
    return f"{d.py_func.__module__}.{d.py_func.__name__}"


def _site() -> dict:
    """The call site of the kernel being compiled, from the Python stack."""
    lib = helper = test = None
    for frame in reversed(traceback.extract_stack()[:-2]):
        f = frame.filename
        top = os.path.dirname(os.path.dirname(PACKAGE)) if f.startswith(PACKAGE) else ROOT
        where = f"{os.path.relpath(f, top)}:{frame.lineno} ({frame.name})"
        if helper is None and lib is None and f.startswith(KERNELS):
            helper = where  # a plain-Python helper of a kernel module (e.g. plugin_mi)
        if lib is None and f.startswith(PACKAGE) and not f.startswith(KERNELS):
            lib = where
        if test is None and f.startswith(TESTS):
            test = where
        if lib and test:
            break
    return {"site": lib, "helper": helper, "test_frame": test}


def install_compile_hook() -> None:
    """Wrap ``Dispatcher.compile`` to record where each new signature comes from."""
    from numba.core import sigutils
    from numba.core.dispatcher import Dispatcher

    original = Dispatcher.compile

    def compile(self, sig):
        name = _qualname(self)
        if not name.startswith("mifs._kernels"):
            return original(self, sig)
        args, _ = sigutils.normalize_signature(sig)
        new = tuple(args) not in self.overloads
        stack = getattr(_local, "stack", None)
        if stack is None:
            stack = _local.stack = []
        key = (name, sig_key(args))
        if new:
            if key not in _records:
                rec = {"test": _current_test[0]}
                if stack:
                    rec["via"] = f"{stack[-1][0]}{stack[-1][1]}"
                else:
                    rec.update(_site())
                _records[key] = rec
        frame = [name.rsplit(".", 1)[1], "(" + ", ".join(sig_key(args)) + ")", 0.0]
        stack.append(frame)
        misses = sum(self._cache_misses.values())
        t0 = time.perf_counter()
        try:
            return original(self, sig)
        finally:
            elapsed = time.perf_counter() - t0
            stack.pop()
            if stack:
                stack[-1][2] += elapsed  # the caller's time less its callees' is its own
            if new and key in _records and "seconds" not in _records[key]:
                _records[key]["seconds"] = elapsed - frame[2]
                _records[key]["compiled"] = sum(self._cache_misses.values()) > misses

    Dispatcher.compile = compile


class _Plugin:
    """Keeps the id of the running test for the call-site records."""

    def pytest_runtest_protocol(self, item, nextitem):
        _current_test[0] = item.nodeid


# ------------------------------------------- inputs in other layouts and types


def _readonly_memmap(a):
    path = os.path.join(tempfile.mkdtemp(prefix="mifs-memmap-"), "a.npy")
    np.save(path, a)
    return np.load(path, mmap_mode="r")


def _layout_pandas(d):
    import pandas as pd

    from mifs import InfoGainSplitter, KSGEstimator, MRMRSelector

    X = pd.DataFrame(d["X"], columns=[f"f{j}" for j in range(d["X"].shape[1])])
    KSGEstimator(random_state=0).fit(X, pd.Series(d["y_cont"]))
    MRMRSelector(3, criterion="jmi", random_state=0).fit(X, pd.Series(d["y_class"]))
    InfoGainSplitter().fit(X, pd.Series(d["y_class"]))
    InfoGainSplitter().fit(X[["f0"]], pd.Series(d["y_class"]))  # one column: a read-only C view


def _layout_memmap(d):
    from mifs import InfoGainSplitter, KSGEstimator

    X, y = _readonly_memmap(d["X"]), _readonly_memmap(d["y_cont"])
    KSGEstimator(random_state=0).fit(X, y)
    KSGEstimator(random_state=0).fit(np.asfortranarray(d["X"]), d["y_cont"])
    InfoGainSplitter().fit(X, d["y_class"])


def _layout_dtypes(d):
    from mifs import KSGEstimator, pairwise_mutual_information

    KSGEstimator(random_state=0).fit(d["X"].astype(np.float32), d["y_cont"].astype(np.float32))
    KSGEstimator(random_state=0).fit(d["X"], d["y_class"].astype(np.int32))
    KSGEstimator(random_state=0).fit(np.round(d["X"]).astype(np.int32), d["y_class"])
    pairwise_mutual_information(np.round(d["X"]).astype(np.int32), random_state=0)


#: the same estimators on the inputs users pass: pandas, memory maps, other dtypes
LAYOUTS = {"pandas input": _layout_pandas, "read-only memmap": _layout_memmap, "float32/int32": _layout_dtypes}


# ------------------------------------------------------------ gather results


def process_signatures() -> dict[str, dict]:
    """Every dispatcher of ``mifs._kernels.*`` in this process, with its signatures."""
    from numba.core.dispatcher import Dispatcher

    out = {}
    for modname, module in sorted(sys.modules.items()):
        if not modname.startswith("mifs._kernels") or module is None:
            continue
        for obj in vars(module).values():
            if isinstance(obj, Dispatcher) and obj.py_func.__module__ == modname:
                out[_qualname(obj)] = {
                    "params": list(inspect.signature(obj.py_func).parameters),
                    "sigs": {sig_key(s) for s in obj.signatures},
                }
    return out


def cache_signatures(cache_dir: str) -> dict[str, set]:
    """Signatures in the numba cache index files under ``cache_dir``, by kernel
    (``module.function``; numba names the files ``<module>.<function>-<line>.pyXY.nbi``)."""
    out: dict[str, set] = {}
    for path in glob.glob(os.path.join(cache_dir, "**", "*.nbi"), recursive=True):
        base = os.path.basename(path)
        func = base.split("-")[0]  # e.g. "sorted1d.count_sorted"
        try:
            with open(path, "rb") as handle:
                pickle.load(handle)  # numba version
                _stamp, overloads = pickle.loads(handle.read())
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"unreadable index {path}: {exc}", file=sys.stderr)
            continue
        qual = f"mifs._kernels.{func}"
        for key in overloads:
            out.setdefault(qual, set()).add(sig_key(key[0]))
    return out


def differing_positions(sigs) -> set[int]:
    sigs = list(sigs)
    return {i for i in range(len(sigs[0])) if len({s[i] for s in sigs}) > 1}


def report(proc: dict, cached: dict, out_json: str | None) -> None:
    names = sorted(set(proc) | set(cached))
    total_sigs = 0
    multi = []
    rows = {}
    for name in names:
        sigs = set(proc.get(name, {}).get("sigs", set())) | cached.get(name, set())
        params = proc.get(name, {}).get("params")
        rows[name] = {"params": params, "sigs": sorted(sigs)}
        total_sigs += len(sigs)
        if len(sigs) > 1:
            multi.append(name)
    used = [n for n in names if rows[n]["sigs"]]
    print(f"\n{len(names)} dispatchers in mifs._kernels, {len(used)} compiled, {total_sigs} signatures in all")
    print(f"{len(multi)} with more than one signature:\n")
    for name in multi:
        sigs, params = rows[name]["sigs"], rows[name]["params"]
        diff = differing_positions(sigs)
        arg_names = params or [f"arg{i}" for i in range(len(sigs[0]))]
        print(f"{name}  ({len(sigs)} signatures; differ in: {', '.join(arg_names[i] for i in sorted(diff))})")
        for sig in sigs:
            shown = ", ".join(f"{arg_names[i]}={t}" for i, t in enumerate(sig) if i in diff)
            rec = _records.get((name, sig))
            if rec is None:
                where = "subprocess (cache index only)"
            elif "via" in rec:
                where = f"via {rec['via']}"
            else:
                where = rec.get("site") or "-"
                if rec.get("helper"):
                    where += f" -> {rec['helper']}"
                where += f"; test frame {rec.get('test_frame') or '-'}"
            test = f" [{rec['test']}]" if rec else ""
            cost = ""
            if rec and "seconds" in rec:
                cost = f" ({'compiled' if rec['compiled'] else 'loaded'} in {rec['seconds']:.2f} s)"
            print(f"    {shown}{cost}\n        <- {where}{test}")
        print()
    costs = []
    for name in multi:
        secs = [_records[(name, sig)]["seconds"] for sig in rows[name]["sigs"]
                if _records.get((name, sig), {}).get("compiled")]
        if len(secs) > 1:
            costs.append((sum(secs) - max(secs), sum(secs), len(secs), name))
    if costs:
        print("compile time of the kernels with several signatures (this process; 'extra' = all but the slowest):")
        for extra, total, count, name in sorted(costs, reverse=True):
            print(f"    {name:<42}{count:>3} compiled {total:7.2f} s  extra {extra:6.2f} s")
        print(f"    {'sum':<42}{'':>3}          {sum(c[1] for c in costs):7.2f} s  extra {sum(c[0] for c in costs):6.2f} s")
        print()
    own = [r["seconds"] for r in _records.values() if r.get("compiled")]
    if own:
        print(f"all compilations in this process: {len(own)}, {sum(own):.1f} s (own time, callees excluded)\n")
    print("kernels with one signature:")
    for name in names:
        if len(rows[name]["sigs"]) == 1:
            print(f"    {name}")
    unused = [n for n in names if not rows[n]["sigs"]]
    if unused:
        print("kernels never compiled: " + ", ".join(unused))
    if out_json:
        data = {
            name: {
                "params": rows[name]["params"],
                "signatures": [
                    {"args": list(sig), "first_seen": _records.get((name, tuple(sig)))} for sig in rows[name]["sigs"]
                ],
            }
            for name in names
        }
        with open(out_json, "w") as handle:
            json.dump(data, handle, indent=1)
        print(f"\nwritten {out_json}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=("tests", "estimators"), default="tests")
    parser.add_argument(
        "--cache-dir", help="numba cache folder, kept afterwards (default: a new temporary folder, removed)"
    )
    parser.add_argument("--json", help="also write the signatures and call sites to this file")
    parser.add_argument("pytest_args", nargs="*", help="after --: arguments for pytest")
    args = parser.parse_args(argv)

    cache_dir = args.cache_dir or tempfile.mkdtemp(prefix="mifs-signatures-")
    os.environ["NUMBA_CACHE_DIR"] = cache_dir  # before numba is imported; subprocesses inherit it
    assert "numba" not in sys.modules
    install_compile_hook()
    t0 = time.perf_counter()
    if args.workload == "tests":
        import pytest

        os.chdir(ROOT)
        code = pytest.main(["-q", "-p", "no:cacheprovider", *args.pytest_args], plugins=[_Plugin()])
        print(f"\npytest exit code {int(code)}")
    else:
        sys.path.insert(0, HERE)
        from bench_coldstart import WORKLOADS, make_data

        data = make_data()
        for name, run in WORKLOADS.items():
            _current_test[0] = name
            run(data)
        for name, run in LAYOUTS.items():
            _current_test[0] = name
            run(data)
    print(f"workload: {time.perf_counter() - t0:.0f} s; mifs from {PACKAGE}; numba cache folder {cache_dir}")
    report(process_signatures(), cache_signatures(cache_dir), args.json)
    if not args.cache_dir:
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
