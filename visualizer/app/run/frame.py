"""What one frame shows, computed by the core from a snapshot: the panels only draw it (``draw(frame)``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from visualizer.app.run.training import TrainingController
from visualizer.core import accuracy, explain, get_loss, sigmoid
from visualizer.core.analysis.evaluation import COURSE_THRESHOLD, Confusion, Roc, confusion, roc
from visualizer.core.analysis.landscape import defined_surface_view
from visualizer.core.analysis.lessons import GraphValues, graph_values
from visualizer.core.analysis.sharpening import not_recorded, sharpness_affordable
from visualizer.core.analysis.stability import Edge, affordable, edge_of_stability
from visualizer.core.analysis.surface import SurfaceView, surface_view
from visualizer.core.models.network import forward, output_z
from visualizer.core.models.registry import ModelSpec, model_of


@dataclass
class Verdict:
    """The model's answer for one dropped image, computed by the core for the Classify panel to show."""

    z: float
    yhat: float
    label: str
    confidence: float
    contributions: np.ndarray | None  # (n_px, n_px): w*x summed over channels; None for a network (no such sum)
    b: float


@dataclass
class Frame:
    controller: TrainingController
    iteration: int
    theta: np.ndarray
    z_train: np.ndarray
    alpha: float
    batch: np.ndarray | None = None  # the examples of the step from here; None: all m
    selected: tuple[str, int] = ("train", 0)  # the example picked in the gallery or on σ(z)
    threshold: float = COURSE_THRESHOLD  # ŷ above it is called 1 (WindowState.threshold)
    cell: tuple[str, int, int] | None = None  # the confusion matrix cell the gallery shows alone (WindowState.cell)

    @property
    def gd(self):
        return self.controller.gd

    @cached_property
    def model(self) -> ModelSpec:
        """The model the run trains (core/models/registry.py): panels that mean one model only ask here."""
        return model_of(self.gd)

    def output_z(self, X: np.ndarray) -> np.ndarray:
        """z of the output unit at this frame's θ for any inputs X of shape (n_x, k): w·X + b, or the network's Z_L."""
        if self.model.has_hidden:
            return output_z(self.gd.net, self.theta, X).reshape(-1)
        return self.w @ X + float(self.theta[-1])

    @cached_property
    def yhat_train(self) -> np.ndarray:
        return sigmoid(self.z_train)

    @cached_property
    def loss_train(self) -> np.ndarray:
        return self.gd.loss.values(self.z_train, self.gd.y)

    @cached_property
    def z_test(self) -> np.ndarray | None:
        return None if self.gd.test is None else self.gd.test.z(self.theta)

    @cached_property
    def yhat_test(self) -> np.ndarray | None:
        return None if self.z_test is None else sigmoid(self.z_test)

    @cached_property
    def loss_test(self) -> np.ndarray | None:
        return None if self.z_test is None else self.gd.loss.values(self.z_test, self.gd.y_test)

    def outputs(self, set_name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(z, y) of the training or test set; None when there is no test set."""
        if set_name == "train":
            return self.z_train, self.gd.y
        return None if self.z_test is None else (self.z_test, self.gd.y_test)

    def confusion(self, set_name: str) -> Confusion | None:
        """The confusion matrix of a set at this frame's threshold."""
        out = self.outputs(set_name)
        return None if out is None else confusion(*out, self.threshold)

    def roc(self, set_name: str) -> Roc | None:
        out = self.outputs(set_name)
        return None if out is None else roc(*out)

    @cached_property
    def cost(self) -> float:
        """J of all m examples, plus (λ/2m)|w|² when L2 is on: the J the run minimizes."""
        optimizer = self.gd.history.optimizer_at(self.iteration)
        return float(np.mean(self.loss_train)) + self.gd.penalty(self.theta, optimizer)

    @cached_property
    def train_accuracy(self) -> float:
        return accuracy(self.z_train, self.gd.y)

    @cached_property
    def test_accuracy(self) -> float | None:
        return None if self.z_test is None else accuracy(self.z_test, self.gd.y_test)

    @cached_property
    def w(self) -> np.ndarray:
        """Logistic regression's w (a network has none: see ``first_layer``)."""
        return self.gd.param.w(self.theta)

    def first_layer(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(W1 (n_1, n_x), b1 (n_1,)) of a network's first hidden layer, whose units each draw a line on
        2-D data; None for logistic regression, which has no hidden layer."""
        if not self.model.has_hidden:
            return None
        W1, b1 = self.gd.net.split(self.theta)[0]
        return W1, b1.reshape(-1)

    def hidden_view(self, X: np.ndarray) -> np.ndarray | None:
        """The inputs X (n_x, k) as the last hidden layer sees them, (n_L, k), when it has 2 or 3 units (the
        space where the output is a straight cut); None otherwise and for logistic regression."""
        if not self.model.has_hidden or self.gd.net.hidden[-1] not in (2, 3):
            return None
        return forward(self.gd.net, self.theta, X)[1][-2]

    def w_image(self) -> np.ndarray:
        """w as the (n_px, n_px, 3) picture it multiplies, in the course's unrolling order."""
        n_px = self.controller.train.n_px
        return self.w.reshape(n_px, n_px, 3)

    def weight_images(self) -> np.ndarray | None:
        """Each first unit's weights as the (n_px, n_px, 3) picture they multiply: (units, n_px, n_px, 3); None when
        the inputs are not images (2-D points)."""
        n_px = self.controller.train.n_px
        rows = self.w.reshape(1, -1) if (layer := self.first_layer()) is None else layer[0]
        if not n_px or rows.shape[1] != n_px * n_px * 3:
            return None
        return rows.reshape(-1, n_px, n_px, 3)

    def verdicts(self, images: list) -> list[Verdict]:
        """The model's answer for each dropped image, with the per-pixel reasons (logistic regression's only)."""
        n_px, classes, b = self.controller.train.n_px, self.controller.train.classes, float(self.theta[-1])
        out = []
        for image in images:
            x = image.pixels.reshape(-1) / 255.0
            if self.model.has_hidden:
                z, contributions = float(self.output_z(x.reshape(-1, 1))[0]), None
            else:
                z, contributions = explain(self.w, b, x, n_px)
            yhat = float(sigmoid(np.array(z)))
            label = int(yhat > 0.5)
            out.append(Verdict(z, yhat, classes[label], yhat if label else 1 - yhat, contributions, b))
        return out

    def edge(self) -> Edge:
        """The edge of stability here for the loss and optimizer in use, when the engine can afford it
        (Gram path or a small problem)."""
        gd = self.gd
        if self.model.has_hidden:
            return self._network_edge()
        if not affordable(gd):
            return Edge(None, "too large")
        return edge_of_stability(gd, self.z_train, optimizer=gd.history.optimizer_at(self.iteration))

    def _network_edge(self) -> Edge:
        """A network's 2/λmax as its run recorded it with the metrics (LiveSharpness), at or before this iteration."""
        gd = self.gd
        spec = gd.history.optimizer_at(self.iteration).spec
        if spec.edge is None:
            return Edge(None, "network", why=spec.no_edge)
        if gd.probe is None or not sharpness_affordable(gd.net, gd.m):
            return Edge(None, "network", why=not_recorded(gd.net, gd.m))
        its, edges = gd.history.metric("edge", self.iteration)
        if not len(its):
            return Edge(None, "network", why="2/λmax is recorded with the metrics; none yet at this iteration.")
        if not np.isfinite(edges[-1]):
            return Edge(None, "network", why=f"At iteration {int(its[-1])} λmax was not a finite positive number: "
                                             "no edge of stability was recorded there.")
        return Edge(float(edges[-1]), "network", formula=spec.edge_formula, measured_at=int(its[-1]))

    def surface(self, kind: str, grid: int = 48, loss: str | None = None, extent: float = 1.0,
                ghost: np.ndarray | None = None, this_batch: bool = False) -> SurfaceView:
        """The slice of J_reg through this point; ``loss`` draws another loss on the same plane;
        ``this_batch``: the J of the batch the next step uses, instead of all m examples'. A network's is its exact
        slice of ``kind`` (core/analysis/landscape.py; random directions seeded by the run's seed) through its
        path, thinned (network_path.py); it has no other loss, batch or ghost to draw."""
        gd = self.gd
        if self.model.has_hidden:
            its, path, every = gd.surface_path(self.iteration)
            path = np.vstack([path, self.theta[None]])  # the path reaches the current point
            return gd.surface_path.remembered(
                (kind, grid, tuple(its), gd.net, gd.m, gd.replay_from, self.iteration), self.theta,
                lambda: replace(defined_surface_view(gd.net, gd.param.X, gd.y, self.theta, path, kind, grid,
                                                     seed=gd.seed, path_every=every),
                                path_iterations=tuple(int(i) for i in its), view_iteration=self.iteration,
                                path_start=gd.replay_from))
        latest = self.controller.latest
        kept = [i for i in latest.path_iterations if i <= self.iteration]
        traj = latest.path_until(self.iteration)
        if not kept or kept[-1] < self.iteration:  # it reaches the point shown, once
            traj = np.vstack([traj, self.theta[None]])
        l2 = gd.history.optimizer_at(self.iteration).l2(gd.m)
        view = surface_view(gd.param, gd.loss if loss is None else get_loss(loss), gd.y, self.theta,
                            gd.gradient(self.z_train, self.theta), traj, kind, grid, extent, ghost,
                            l2=l2.weight, rows=self.batch if this_batch else None,
                            # the spacing of the points drawn (a run looked back on shows what it showed then)
                            path_every=int(np.max(np.diff(kept))) if len(kept) > 1 else latest.path_stride)
        view.path_iterations, view.view_iteration, view.path_start = tuple(kept), self.iteration, gd.replay_from
        return view

    def example(self, set_name: str, index: int) -> tuple[np.ndarray, float, str]:
        """(pixels, label, name) of one example."""
        data = self.controller.train if set_name == "train" or self.controller.test is None else self.controller.test
        index = min(index, data.m - 1)
        return data.images[index], float(data.Y[0, index]), data.names[index]

    def graph(self, set_name: str, index: int) -> GraphValues:
        _, y, _ = self.example(set_name, index)
        return graph_values(self.w, float(self.theta[-1]), self.example_x(set_name, index), y)

    def example_x(self, set_name: str, index: int) -> np.ndarray:
        """x of one example as the model reads it: an image's pixels unrolled and divided by 255, a point's
        coordinates as they are."""
        data = self.controller.train if set_name == "train" or self.controller.test is None else self.controller.test
        index = min(index, data.m - 1)
        return data.X[:, index] if data.is_points else data.images[index].reshape(-1) / 255.0


def build_frame(controller: TrainingController, view_iteration: int | None = None,
                selected: tuple[str, int] | None = None, threshold: float = COURSE_THRESHOLD,
                cell: tuple[str, int, int] | None = None) -> Frame:
    """The latest snapshot, or (when paused) an earlier iteration replayed from the history."""
    snap, selected = controller.latest, selected or ("train", 0)
    if view_iteration is None or view_iteration >= snap.iteration or controller.running:
        return Frame(controller, snap.iteration, snap.theta, snap.z, snap.alpha, snap.batch, selected, threshold, cell)
    gd = controller.gd
    theta, state = gd.full_state_at(view_iteration)
    return Frame(controller, view_iteration, theta, gd.param.train.z(theta), gd.history.alpha_at(view_iteration),
                 gd.batch_rows(state, gd.history.optimizer_at(view_iteration)), selected, threshold, cell)
