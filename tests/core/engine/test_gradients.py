"""Property tests: analytic gradients, the two parametrizations and the lecture's loops agree."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.core import GradientDescent
from visualizer.core.reference.lecture import (
    gradient_descent_reference,
    loop_gradients,
    numerical_gradient,
    relative_difference,
    vectorized_gradients,
)

problems = st.tuples(
    st.integers(1, 7),  # n_x
    st.integers(1, 9),  # m
    st.integers(0, 2**31 - 1),  # seed
    st.sampled_from(["cross-entropy", "squared-error"]),
)


def _random(n_x, m, seed):
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m))
    Y = rng.integers(0, 2, (1, m)).astype(float)
    w = rng.normal(0, 1.5, n_x)
    b = float(rng.normal(0, 1))
    return X, Y, w, b


@settings(max_examples=60, deadline=None)
@given(problems)
def test_analytic_gradient_matches_centred_differences(problem):
    n_x, m, seed, loss = problem
    X, Y, w, b = _random(n_x, m, seed)
    _, dw, db = vectorized_gradients(w, b, X, Y, loss)
    ndw, ndb = numerical_gradient(w, b, X, Y, loss, eps=1e-6)
    assert np.allclose(dw, ndw, atol=1e-8, rtol=1e-6)
    assert abs(db - ndb) < 1e-8 + 1e-6 * abs(db)


@settings(max_examples=40, deadline=None)
@given(problems)
def test_vectorized_and_loop_versions_agree(problem):
    n_x, m, seed, loss = problem
    X, Y, w, b = _random(n_x, m, seed)
    J1, dw1, db1 = vectorized_gradients(w, b, X, Y, loss)
    J2, dw2, db2 = loop_gradients(w.tolist(), b, X.tolist(), Y.tolist(), loss)
    assert abs(J1 - J2) < 1e-12 * max(1.0, abs(J1))
    assert np.allclose(dw1, dw2, rtol=1e-12, atol=1e-15)
    assert abs(db1 - db2) < 1e-12


@settings(max_examples=30, deadline=None)
@given(problems, st.sampled_from(["zeros", "random"]), st.floats(1e-3, 2.0))
def test_gram_and_primal_paths_follow_the_same_trajectory(problem, init, alpha):
    n_x, m, seed, loss = problem
    X, Y, _, _ = _random(n_x, m, seed)
    runs = [GradientDescent(X, Y, alpha=alpha, loss=loss, init=init, seed=seed, method=k) for k in ("gram", "primal")]
    for gd in runs:
        gd.step(40)
    gram, primal = runs
    assert np.allclose(gram.history.costs.values, primal.history.costs.values, rtol=1e-10, atol=1e-13)
    assert np.allclose(gram.w, primal.w, rtol=1e-9, atol=1e-12)
    assert abs(gram.b - primal.b) < 1e-9


@settings(max_examples=30, deadline=None)
@given(problems, st.floats(1e-3, 1.0))
def test_engine_matches_plain_vectorized_descent(problem, alpha):
    n_x, m, seed, loss = problem
    X, Y, _, _ = _random(n_x, m, seed)
    gd = GradientDescent(X, Y, alpha=alpha, loss=loss)
    gd.step(25)
    w, b, costs = gradient_descent_reference(X, Y, alpha, 25, loss)
    assert np.allclose(gd.history.costs.values, costs, rtol=1e-10, atol=1e-14)
    assert np.allclose(gd.w, w, rtol=1e-9, atol=1e-12)
    assert relative_difference(gd.w, w) < 1e-9
