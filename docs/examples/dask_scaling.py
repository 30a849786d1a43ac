"""Scale out with Dask: the same scores, computed on a cluster.

MIRanker splits its features into blocks and dispatches them through joblib.
Inside ``joblib.parallel_config(backend="dask")`` the blocks run on the
workers of a Dask cluster: each worker receives its block of columns and the
target, and the scores and permutation p-values are identical to a local run.
Here the cluster is a LocalCluster of two worker processes; with a real
cluster only the Client line changes (``Client("scheduler-address:8786")``).

Run: python docs/examples/dask_scaling.py [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from dask.distributed import Client, LocalCluster
from joblib import parallel_config

from mifs import MIRanker
from mifs.plotting import plot_scores


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "figures"
    out.mkdir(parents=True, exist_ok=True)
    # six signals with weights 3, 2.5, 2, 1.5, 1, 1 in the class, and 34 noise columns
    rng = np.random.default_rng(0)
    values = rng.standard_normal((2000, 40))
    y = (values[:, :6] @ np.array([3, 2.5, 2, 1.5, 1, 1]) + rng.standard_normal(2000) > 0).astype(int)
    names = [f"signal {j}" for j in range(1, 7)] + [f"noise {j}" for j in range(1, 35)]
    X = pd.DataFrame(values, columns=names)

    local = MIRanker(k=6, n_permutations=99, random_state=0).fit(X, y)

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        with parallel_config(backend="dask"):
            remote = MIRanker(k=6, n_permutations=99, random_state=0, n_jobs=-1).fit(X, y)
        workers = len(client.scheduler_info()["workers"])

    print(f"{X.shape[0]} samples, {X.shape[1]} features, 99 permutations of y per feature")
    print(f"Dask cluster: {workers} worker processes")
    print("scores identical to the local run:  ", np.array_equal(local.scores_, remote.scores_))
    print("p-values identical to the local run:", np.array_equal(local.pvalues_, remote.pvalues_))
    print("selected on the cluster:", ", ".join(remote.get_feature_names_out()))
    print("selected locally:       ", ", ".join(local.get_feature_names_out()))
    print("best eight (MI in nats, permutation p-value):")
    for j in np.argsort(remote.ranking_)[:8]:
        print(f"  {names[j]:<10}{remote.scores_[j]:.3f}   p = {remote.pvalues_[j]:.2f}")

    ax = plot_scores(remote, top=12)
    ax.set_title("MIRanker on a Dask cluster")
    ax.figure.savefig(out / "dask_scaling.png", dpi=110)
    plt.close(ax.figure)


if __name__ == "__main__":  # the worker processes import this file: keep the work under main
    main()
