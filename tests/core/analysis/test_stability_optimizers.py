"""The edge of stability per optimizer: L2's Hessian, momentum's heavy-ball bound, none for adaptive steps."""

import numpy as np
import pytest

from tests.conftest import make_problem
from tests.core.analysis.test_stability import full_hessian
from visualizer.core import GradientDescent
from visualizer.core.analysis.stability import EdgeProbe, edge_of_stability, eigen_range
from visualizer.core.optim.optimizers import Optimizer


@pytest.mark.parametrize("n_x, m", [(30, 12), (6, 40)])  # Gram and primal paths
@pytest.mark.parametrize("lam", [0.0, 0.7, 25.0])
def test_l2_adds_lambda_over_m_to_the_w_block(n_x, m, lam):
    X, Y = make_problem(n_x, m, seed=5)
    gd = GradientDescent(X, Y, alpha=0.1, init="random", seed=2, optimizer=Optimizer(lam=lam))
    gd.step(5)
    H = full_hessian(X, m, gd.z)
    H[:-1, :-1] += lam / m * np.eye(n_x)  # b is not regularized
    assert gd.param.kind == ("gram" if n_x > m else "primal")
    assert eigen_range(gd)[1] == pytest.approx(np.linalg.eigvalsh(H).max(), rel=1e-8)
    assert edge_of_stability(gd).alpha == pytest.approx(2 / np.linalg.eigvalsh(H).max(), rel=1e-8)


def test_l2_moves_the_edge_down_and_improves_the_conditioning():
    X, Y = make_problem(30, 12, seed=3)
    plain = GradientDescent(X, Y)
    reg = GradientDescent(X, Y, optimizer=Optimizer(lam=5.0))
    assert edge_of_stability(reg).alpha < edge_of_stability(plain).alpha
    H = full_hessian(X, 12, plain.z)
    H_reg = H.copy()
    H_reg[:-1, :-1] += 5.0 / 12 * np.eye(30)
    # with more features than examples J alone is flat along most directions; L2 makes every direction curve
    assert np.linalg.eigvalsh(H).min() < 1e-10 and np.linalg.eigvalsh(H_reg).min() > 1e-2


def heavy_ball(alpha: float, beta: float, curvature: float, steps: int = 4000) -> float:
    """The course's momentum, v = beta v + (1 - beta) dw and w -= alpha v, on J = curvature w^2 / 2: |w| at the end."""
    w, v = 1.0, 0.0
    for _ in range(steps):
        if abs(w) > 1e12:
            return abs(w)
        v = beta * v + (1 - beta) * curvature * w
        w -= alpha * v
    return abs(w)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("curvature", [0.3, 4.0])
def test_the_momentum_edge_separates_convergence_from_blow_up_on_a_quadratic(beta, curvature):
    edge = 2 * (1 + beta) / ((1 - beta) * curvature)
    assert heavy_ball(0.97 * edge, beta, curvature) < 1e-3
    assert not heavy_ball(1.03 * edge, beta, curvature) < 1e3  # NaN once it overflows


def test_the_engine_reports_the_momentum_edge_from_its_lambda_max():
    X, Y = make_problem(20, 30, seed=1)
    gd = GradientDescent(X, Y, optimizer=Optimizer("momentum", beta=0.9))
    top = eigen_range(gd)[1]
    edge = edge_of_stability(gd)
    assert edge.alpha == pytest.approx(2 * 1.9 / (0.1 * top)) and "β" in edge.formula
    plain = edge_of_stability(gd, optimizer=Optimizer())
    assert plain.alpha == pytest.approx(2 / top) and plain.formula == "2/λmax"


def test_momentum_on_the_engine_blows_up_just_above_its_edge_near_the_minimum():
    """Near the minimum J is close to its quadratic model, so the heavy-ball edge holds for the real run."""
    X, Y = make_problem(8, 40, seed=6)
    base = GradientDescent(X, Y, alpha=1.0, optimizer=Optimizer(lam=1.0))
    base.step(3000)  # close to the minimum of J_reg (L2 keeps it finite)
    w0, b0 = base.w.copy(), base.b
    opt = Optimizer("momentum", beta=0.8, lam=1.0)
    edge = edge_of_stability(base, optimizer=opt).alpha
    ends = {}
    for factor in (0.9, 1.1):
        run = GradientDescent(X, Y, alpha=factor * edge, start=(w0 + 1e-3, b0), optimizer=opt)
        run.step(3000)
        ends[factor] = run.cost - base.cost
    assert abs(ends[0.9]) < 1e-8 and not ends[1.1] < 1e-3


@pytest.mark.parametrize("kind", ["rmsprop", "adam"])
def test_adaptive_optimizers_have_no_single_edge(kind):
    X, Y = make_problem(10, 20, seed=2)
    gd = GradientDescent(X, Y, optimizer=Optimizer(kind))
    edge = edge_of_stability(gd)
    assert edge.alpha is None and edge.reason == "adaptive"
    gd.probe = EdgeProbe()
    gd.step(10)
    assert np.isnan(gd.history.metric("edge")[1]).all()


def test_the_probe_follows_a_run_whose_l2_changes():
    X, Y = make_problem(30, 12, seed=3)
    gd = GradientDescent(X, Y, metric_stride=5)
    gd.probe = EdgeProbe()
    gd.step(5)
    gd.optimizer = Optimizer(lam=3.0)
    gd.step(5)
    at_10 = edge_of_stability(gd, tol=1e-12).alpha
    gd.step(1)  # the metrics of iteration 10 are recorded as the next step begins
    its, recorded = gd.history.metric("edge")
    assert list(its) == [0, 5, 10]
    assert recorded[-1] == pytest.approx(at_10, rel=1e-6)
    assert recorded[-1] < recorded[0]
