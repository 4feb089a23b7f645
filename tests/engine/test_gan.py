"""The 1-D GAN of chapter 13: gradients against finite differences, the game's numbers."""

import numpy as np
import pytest
from gradcheck import central_difference, relative_error
from scipy import integrate, optimize, stats

from widgets.engine import Network
from widgets.engine.gan import (
    EQUILIBRIUM_D_LOSS,
    EQUILIBRIUM_G_LOSS,
    GaussianMixture1D,
    coverage_over_seeds,
    discriminator_input_gradient,
    discriminator_loss_and_gradients,
    generator_loss_and_gradients,
    input_gradient,
    make_discriminator,
    make_generator,
    make_target,
    mode_coverage,
    modes_covered,
    optimal_discriminator,
    train_gan,
)

RTOL = 1e-6


def sigmoid_logit(network, X):
    """``D``'s logit recomputed from its probability (an independent path)."""
    p = network.forward(X)
    return np.log(p) - np.log1p(-p)


@pytest.fixture
def rng():
    return np.random.default_rng(7)


# ---------------------------------------------------------------------- input gradients


@pytest.mark.parametrize("activation", ["tanh", "logistic", "leaky_relu"])
def test_discriminator_input_gradient_matches_finite_differences(activation, rng):
    D = make_discriminator((8, 6), activation=activation, random_state=3)
    X = rng.normal(0, 1.5, size=(9, 1))
    analytic = discriminator_input_gradient(D, X)
    h = 1e-6
    numeric = (D.forward(X + h) - D.forward(X - h)) / (2 * h)
    assert analytic.shape == X.shape
    assert relative_error(analytic, numeric) < RTOL


def test_input_gradient_of_a_general_network(rng):
    """The vector-Jacobian product through a 3-input, 2-output network."""
    net = Network([3, 5, 4, 2], activation="tanh", output="identity", random_state=1)
    X = rng.normal(size=(6, 3))
    delta = rng.normal(size=(6, 2))
    analytic = input_gradient(net, X, delta)
    flat = X.reshape(-1)
    numeric = central_difference(lambda: float((net.forward(X) * delta).sum()), flat)
    assert relative_error(analytic.reshape(-1), numeric) < RTOL


# ---------------------------------------------------------------------- the two losses


def independent_d_loss(D, real, fake):
    return -np.mean(np.log(D.forward(real))) - np.mean(np.log(1 - D.forward(fake)))


def test_discriminator_loss_and_weight_gradients(rng):
    D = make_discriminator((6,), random_state=2)
    real = rng.normal(2, 0.5, size=(7, 1))
    fake = rng.normal(0, 1, size=(5, 1))  # unequal batch sizes: the weights matter
    loss, grads = discriminator_loss_and_gradients(D, real, fake)
    assert loss == pytest.approx(independent_d_loss(D, real, fake), rel=1e-12)
    numeric = central_difference(lambda: independent_d_loss(D, real, fake), D.params)
    assert grads.shape == D.params.shape
    assert relative_error(grads, numeric) < RTOL


def independent_g_loss(G, D, z):
    return -np.mean(np.log(D.forward(G.forward(z))))


def test_generator_loss_and_weight_gradients_flow_through_the_discriminator(rng):
    G = make_generator((5, 4), random_state=4)
    D = make_discriminator((6,), random_state=5)
    z = rng.normal(size=(8, 1))
    d_params = D.params.copy()
    loss, grads, fake = generator_loss_and_gradients(G, D, z)
    assert loss == pytest.approx(independent_g_loss(G, D, z), rel=1e-12)
    np.testing.assert_array_equal(fake, G.forward(z))
    numeric = central_difference(lambda: independent_g_loss(G, D, z), G.params)
    assert relative_error(grads, numeric) < RTOL
    np.testing.assert_array_equal(D.params, d_params)  # D is left alone


def test_losses_at_the_equilibrium():
    """D = 1/2 everywhere (all weights 0): L_D = 2 ln 2, L_G = ln 2, no gradient for G."""
    D = make_discriminator((4,), random_state=0)
    D.params[:] = 0.0
    G = make_generator((4,), random_state=1)
    z = np.linspace(-2, 2, 10).reshape(-1, 1)
    np.testing.assert_allclose(D.forward(z), 0.5)
    d_loss, _ = discriminator_loss_and_gradients(D, z + 1, z)
    g_loss, g_grads, _ = generator_loss_and_gradients(G, D, z)
    assert d_loss == pytest.approx(2 * np.log(2)) == pytest.approx(EQUILIBRIUM_D_LOSS)
    assert g_loss == pytest.approx(np.log(2)) == pytest.approx(EQUILIBRIUM_G_LOSS)
    np.testing.assert_array_equal(g_grads, 0.0)
    np.testing.assert_array_equal(discriminator_input_gradient(D, z), 0.0)


@pytest.mark.parametrize(("p_data", "p_generated"), [(0.3, 0.1), (0.05, 0.4), (0.2, 0.2)])
def test_optimal_discriminator_maximises_the_pointwise_objective(p_data, p_generated):
    best = optimize.minimize_scalar(
        lambda d: -(p_data * np.log(d) + p_generated * np.log(1 - d)),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert optimal_discriminator(p_data, p_generated) == pytest.approx(best.x, abs=1e-7)
    np.testing.assert_allclose(optimal_discriminator([0.3, 0.2], [0.1, 0.2]), [0.75, 0.5])


# ---------------------------------------------------------------------- target and coverage


@pytest.mark.parametrize("target", ["one mode", "two modes"])
def test_target_density_and_samples_against_scipy(target):
    t = make_target(target, separation=4.0, std=0.5)
    area, _ = integrate.quad(lambda x: float(t.density(x)), -10, 10, points=list(t.means))
    assert area == pytest.approx(1.0, abs=1e-8)
    x = np.array([-2.3, 0.1, 1.7])
    expected = sum(w * stats.norm.pdf(x, m, 0.5) for m, w in zip(t.means, t.weights))
    np.testing.assert_allclose(t.density(x), expected, rtol=1e-12)
    samples = t.sample(20000, np.random.default_rng(0)).reshape(-1)
    assert abs(samples.mean() - t.mean) < 0.05
    mixture_var = 0.25 + np.dot(t.weights, (np.array(t.means) - t.mean) ** 2)
    assert samples.var() == pytest.approx(mixture_var, rel=0.05)


def test_mode_coverage_on_hand_made_samples():
    samples = [-2.0, -1.2, -3.1, 2.0, 2.9, 0.0, 6.0, -0.99]
    # near = within 2 * 0.5 = 1 of the mode: -2.0, -1.2 for -2 (-3.1 is 1.1 away);
    # 2.0, 2.9 for +2; 0.0, 6.0 and -0.99 are near neither.
    shares = mode_coverage(samples, means=(-2, 2), std=0.5)
    np.testing.assert_allclose(shares, [2 / 8, 2 / 8])
    assert modes_covered(shares, min_share=0.25) == 2
    assert modes_covered([0.95, 0.0]) == 1  # a collapsed generator
    collapsed = np.full(100, 2.1)
    np.testing.assert_allclose(mode_coverage(collapsed, (-2, 2), 0.5), [0.0, 1.0])
    # radius in standard deviations: within 3 * 0.5 = 1.5, -3.1 and -0.99 now count
    assert mode_coverage(samples, (-2, 2), 0.5, radius=3)[0] == pytest.approx(4 / 8)


def test_a_perfect_generator_covers_both_modes():
    t = make_target("two modes")
    samples = t.sample(40000, np.random.default_rng(1))
    expected = 0.5 * (stats.norm.cdf(2) - stats.norm.cdf(-2))
    np.testing.assert_allclose(mode_coverage(samples, t.means, t.std), expected, atol=0.01)


# ---------------------------------------------------------------------- training


def test_one_mode_run_moves_the_generated_mean_to_the_target():
    run = train_gan("one mode", steps=400, record_every=50, seed=0)
    target_mean = make_target("one mode").mean
    start = abs(run.generated_mean[0] - target_mean)
    end = abs(run.generated_mean[-1] - target_mean)
    assert end < 0.25 * start
    assert run.generated_mean[-1] == pytest.approx(run.final_samples.mean())
    # the distance to the target (SciPy's Wasserstein) fell as well
    assert run.wasserstein[-1] < 0.5 * run.wasserstein[0]


def test_run_records_are_consistent_and_seeded():
    run = train_gan("two modes", steps=60, record_every=20, seed=3, n_eval=200)
    again = train_gan("two modes", steps=60, record_every=20, seed=3, n_eval=200)
    other = train_gan("two modes", steps=60, record_every=20, seed=4, n_eval=200)
    assert run.n_steps == 60 and not run.diverged
    np.testing.assert_array_equal(run.record_steps, [0, 20, 40, 60])
    assert run.histograms.shape == (4, 60) and run.d_curves.shape == (4, 121)
    np.testing.assert_array_equal(run.d_loss, again.d_loss)
    np.testing.assert_array_equal(run.histograms, again.histograms)
    assert not np.array_equal(run.g_loss, other.g_loss)
    width = np.diff(run.bin_edges)[0]
    inside = 1 - run.outside
    np.testing.assert_allclose(run.histograms.sum(axis=1) * width, np.where(inside > 0, 1, 0))
    assert ((run.d_curves > 0) & (run.d_curves < 1)).all()
    np.testing.assert_allclose(
        run.coverage[-1], mode_coverage(run.final_samples, run.target.means, run.target.std)
    )
    assert run.record_index(39) == 1 and run.record_index(60) == 3


def test_k_discriminator_steps_and_progress_callback():
    calls = []
    run = train_gan(
        steps=30, d_steps=3, record_every=10, callback=lambda s, n: calls.append((s, n))
    )
    assert calls == [(0, 30), (10, 30), (20, 30), (30, 30)]
    assert run.settings["d_steps"] == 3


def test_a_diverging_run_stops_and_says_so():
    run = train_gan(
        steps=50, optimizer="sgd", lr_generator=1e30, lr_discriminator=1e30,
        activation="relu", record_every=5, seed=0,
    )  # fmt: skip
    assert run.diverged and run.diverged_step is not None
    assert run.n_steps == run.diverged_step - 1
    assert len(run.g_loss) == run.n_steps
    assert np.isfinite(run.d_loss).all() and np.isfinite(run.histograms).all()
    assert "diverged" in run.message
    assert run.record_steps[-1] <= run.n_steps


def test_coverage_over_seeds_counts_each_run():
    covered, runs = coverage_over_seeds(seeds=[0, 1], steps=20, record_every=20)
    assert len(runs) == 2
    assert list(covered) == [run.modes_covered() for run in runs]


# ---------------------------------------------------------------------- argument errors


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: make_target("three modes"), ValueError, "target"),
        (lambda: make_target(2), TypeError, "target"),
        (lambda: make_target(separation=0), ValueError, "separation"),
        (lambda: make_target(std="wide"), TypeError, "std"),
        (lambda: mode_coverage([1.0, np.nan], (0,), 1.0), ValueError, "samples"),
        (lambda: mode_coverage([1.0], (0,), 0.0), ValueError, "std"),
        (lambda: mode_coverage(["a"], (0,), 1.0), TypeError, "samples"),
        (lambda: modes_covered([0.5], min_share=2), ValueError, "min_share"),
        (lambda: make_generator(hidden=(0,)), ValueError, "hidden"),
        (lambda: make_discriminator(hidden=2.5), TypeError, "hidden"),
        (lambda: train_gan(steps=0), ValueError, "steps"),
        (lambda: train_gan(steps=1.5), TypeError, "steps"),
        (lambda: train_gan(lr_generator=0), ValueError, "lr_generator"),
        (lambda: train_gan(lr_discriminator="fast"), TypeError, "lr_discriminator"),
        (lambda: train_gan(d_steps=0), ValueError, "d_steps"),
        (lambda: train_gan(optimizer="rmsprop"), ValueError, "optimizer"),
        (lambda: train_gan(seed=-1), ValueError, "seed"),
        (lambda: train_gan(callback=3), TypeError, "callback"),
        (lambda: train_gan(target="ring"), ValueError, "target"),
        (lambda: coverage_over_seeds(seeds=[]), ValueError, "seeds"),
        (lambda: optimal_discriminator(-0.1, 0.2), ValueError, "p_data"),
        (lambda: optimal_discriminator(0.1, "x"), TypeError, "p_generated"),
        (lambda: optimal_discriminator(0.0, 0.0), ValueError, "p_data"),
    ],
)
def test_argument_errors_name_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_network_arguments_are_checked():
    D = make_discriminator((4,), random_state=0)
    G = make_generator((4,), random_state=0)
    with pytest.raises(TypeError, match="discriminator"):
        discriminator_input_gradient("D", [[0.0]])
    with pytest.raises(ValueError, match="discriminator"):
        discriminator_input_gradient(G, [[0.0]])  # identity output: not a discriminator
    with pytest.raises(ValueError, match="generator"):
        generator_loss_and_gradients(D, D, [[0.0]])
    with pytest.raises(ValueError, match="real"):
        discriminator_loss_and_gradients(D, np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="fake"):
        discriminator_loss_and_gradients(D, np.zeros((3, 1)), [[np.inf]])
    with pytest.raises(ValueError, match="output_delta"):
        input_gradient(D, np.zeros((3, 1)), np.zeros((2, 1)))
    with pytest.raises(TypeError, match="network"):
        input_gradient([1], np.zeros((3, 1)), np.zeros((3, 1)))
    assert isinstance(make_target(), GaussianMixture1D)
