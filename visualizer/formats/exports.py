"""Tables a learner takes elsewhere: the cost history and the predictions, as CSV, written atomically."""

from __future__ import annotations

from visualizer.core.engine.history import History
from visualizer.fs.atomic import atomic_write


def cost_csv(runs: dict[str, History], pinned=()) -> str:
    """One row per iteration of every run: run, iteration, cost, test cost, accuracies, alpha; then each curve
    kept in the cost panel (``pinned``, visualizer.model.pinned), named by its label, one row per point kept.

    Test figures exist every few iterations; other rows leave those cells empty (never NaN).
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["run", "iteration", "cost", "test_cost", "train_accuracy", "test_accuracy", "alpha"])
    for name, h in runs.items():
        costs, alphas = h.costs.values, h.alphas()
        at = {int(i): k for k, i in enumerate(h.metrics["iteration"].values)}
        columns = {m: h.metrics[m].values for m in ("train_cost", "test_cost", "train_accuracy", "test_accuracy")}

        def cell(metric, i, at=at, columns=columns):
            k = at.get(i)
            values = columns[metric]
            return "" if k is None or k >= len(values) else repr(float(values[k]))

        for k, i in enumerate(h.costs.iterations(len(costs)).astype(int).tolist()):  # thinned: every stride-th
            writer.writerow([name, i, repr(float(costs[k])), cell("test_cost", i), cell("train_accuracy", i),
                             cell("test_accuracy", i), repr(float(alphas[k]))])
        # where the run rests (iteration N, after its N steps) its J is a metric's: the row the window ends on
        for i in sorted(i for i in at if i >= len(h) and cell("train_cost", i)):
            writer.writerow([name, i, cell("train_cost", i), cell("test_cost", i), cell("train_accuracy", i),
                             cell("test_accuracy", i), repr(float(h.alpha_at(i)))])
    for curve in pinned:
        for i, cost, alpha in zip(curve.iterations.tolist(), curve.costs.tolist(), curve.alphas.tolist(), strict=True):
            writer.writerow([curve.label, i, repr(cost), "", "", "", repr(alpha)])
    return out.getvalue()


def save_cost_csv(path, runs: dict[str, History], pinned=()) -> None:
    text = cost_csv(runs, pinned)
    atomic_write(path, lambda f: f.write(text), binary=False)


def save_predictions_csv(path, rows: list[tuple[str, str, str, float, str]]) -> None:
    """rows: (set, path or name, label or '', y-hat, 'yes'/'no'/'')."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["set", "path", "label", "yhat", "correct"])
    for row in rows:
        writer.writerow([row[0], row[1], row[2], f"{row[3]:.6f}", row[4]])
    text = out.getvalue()
    atomic_write(path, lambda f: f.write(text), binary=False)
