import numpy as np
import pytest

from visualizer.core import get_loss, sigmoid, softplus


def test_sigmoid_matches_definition_and_never_overflows():
    z = np.linspace(-30, 30, 101)
    assert np.allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14, atol=1e-16)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid(np.array([-1e4, 1e4])).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("z", [800.0, -800.0, 1e6, -1e6])
def test_cross_entropy_is_finite_and_exact_far_out(z):
    loss = get_loss("cross-entropy")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        wrong = loss.values(np.array([z]), np.array([0.0 if z > 0 else 1.0]))[0]
        right = loss.values(np.array([z]), np.array([1.0 if z > 0 else 0.0]))[0]
    assert wrong == pytest.approx(abs(z), rel=1e-12)  # -log(1 - sigmoid(z)) = z + log(1 + e^-z)
    assert 0.0 <= right < 1e-300


def test_cross_entropy_matches_course_formula_where_that_is_finite():
    rng = np.random.default_rng(1)
    z, y = rng.normal(0, 5, 1000), rng.integers(0, 2, 1000).astype(float)
    a = 1 / (1 + np.exp(-z))
    course = -(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert np.allclose(get_loss("cross-entropy").values(z, y), course, rtol=1e-9, atol=1e-12)


def test_softplus_is_log_one_plus_exp():
    z = np.linspace(-20, 20, 41)
    assert np.allclose(softplus(z), np.log1p(np.exp(z)), rtol=1e-13)


@pytest.mark.parametrize("name", ["cross-entropy", "squared-error"])
def test_dz_is_the_derivative_of_the_loss(name):
    loss = get_loss(name)
    z = np.linspace(-6, 6, 25)
    for y in (0.0, 1.0):
        yy = np.full_like(z, y)
        numeric = (loss.values(z + 1e-6, yy) - loss.values(z - 1e-6, yy)) / 2e-6
        assert np.allclose(loss.dz(z, yy), numeric, atol=1e-8)


def test_unknown_loss_is_named():
    with pytest.raises(ValueError, match="hinge"):
        get_loss("hinge")
