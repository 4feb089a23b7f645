"""A generative adversarial network (GAN) in one dimension: two small MLPs in a game.

Chapter 13's GAN, headless. A *generator* ``G`` turns noise ``z ~ N(0, 1)`` into a
sample ``x = G(z)``; a *discriminator* ``D`` maps a number ``x`` to the probability
``D(x)`` that it came from the data rather than from ``G``. Both are
:class:`~widgets.engine.network.Network` objects (``G``: identity output, ``D``:
logistic output). They play the minimax game of Goodfellow et al. (2014)

.. math:: \\min_G \\max_D \\; V(D, G) = \\mathbb{E}_{x \\sim p_{data}} \\ln D(x)
          + \\mathbb{E}_{z \\sim N(0, 1)} \\ln\\bigl(1 - D(G(z))\\bigr),

trained by alternating gradient steps on two losses, each averaged over a batch of
``m`` real samples ``x_i`` and ``m`` noise values ``z_j``:

- the discriminator's binary cross-entropy, real labelled 1 and generated 0
  (:func:`discriminator_loss_and_gradients`)

  .. math:: L_D = -\\frac{1}{m}\\sum_i \\ln D(x_i)
            - \\frac{1}{m}\\sum_j \\ln\\bigl(1 - D(G(z_j))\\bigr) = -V;

- the generator's *non-saturating* loss (:func:`generator_loss_and_gradients`)

  .. math:: L_G = -\\frac{1}{m}\\sum_j \\ln D(G(z_j)),

  which Goodfellow et al. recommend over minimising ``V`` itself: ``ln(1 - D)`` is flat
  where ``D(G(z)) ≈ 0``, which is where a poor generator starts.

At the game's equilibrium ``G`` reproduces the data, ``D(x) = 1/2`` everywhere, and
``L_D = 2 ln 2 ≈ 1.386``, ``L_G = ln 2 ≈ 0.693``.

How the gradients are computed, reusing the engine's back-propagation:

- ``D``'s weight gradients: :meth:`Network.loss_and_gradients` on the real and generated
  samples with labels 1 and 0 (its logistic output is trained with exactly this
  cross-entropy);
- the generator's gradient has to flow *through* ``D`` to ``G``'s output: written here
  as :func:`input_gradient` (back-propagation through ``D`` down to its input instead of
  stopping at its weights), checked against finite differences in the tests;
- ``G``'s weight gradients: :meth:`Network.loss_and_gradients` of ``G`` with its
  identity output and the *pseudo-target* ``y_j = G(z_j) - m g_j``, where
  ``g_j = dL_G/dx_j``: the half squared error's output delta is ``G(z_j) - y_j = m g_j``,
  and back-propagation divides by ``m``, so it carries exactly ``g_j`` into ``G``'s
  weights (the chain rule ``dL_G/dθ = Σ_j g_j dG(z_j)/dθ``).

What a run records (:func:`train_gan` → :class:`GanRun`): both losses at every step,
and at every recorded step the histogram of a fixed set of generated samples, ``D(x)``
on a grid, the share of generated samples near each mode of the target
(:func:`mode_coverage`, so that *mode collapse*, a generator covering one mode only, is
measured), and the 1-Wasserstein distance to the target (SciPy). A run whose numbers
stop being finite stops and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import wasserstein_distance

from .activations import HIDDEN_ACTIVATIONS
from .network import Network
from .optimizers import make_optimizer
from .validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_layer_sizes,
    check_number,
    check_seed,
)

__all__ = [
    "TARGETS",
    "GaussianMixture1D",
    "make_target",
    "mode_coverage",
    "modes_covered",
    "optimal_discriminator",
    "make_generator",
    "make_discriminator",
    "input_gradient",
    "discriminator_input_gradient",
    "discriminator_loss_and_gradients",
    "generator_loss_and_gradients",
    "GanRun",
    "train_gan",
    "coverage_over_seeds",
]

#: The targets :func:`make_target` knows.
TARGETS = ("one mode", "two modes")

#: Equilibrium values of the two losses (``D = 1/2`` everywhere).
EQUILIBRIUM_D_LOSS = 2 * np.log(2.0)
EQUILIBRIUM_G_LOSS = np.log(2.0)


# ---------------------------------------------------------------------- the target


@dataclass(frozen=True)
class GaussianMixture1D:
    """A mixture of Gaussians on the line, all with the same spread.

    .. math:: p(x) = \\sum_k w_k \\, \\mathcal{N}(x; \\mu_k, \\sigma^2)

    Attributes
    ----------
    means : tuple of float
        The modes ``mu_k``.
    std : float
        Their common standard deviation ``sigma``.
    weights : tuple of float
        Mixing weights ``w_k`` (they sum to 1).
    """

    means: tuple
    std: float
    weights: tuple

    @property
    def n_modes(self) -> int:
        return len(self.means)

    @property
    def mean(self) -> float:
        """The mixture's mean ``sum_k w_k mu_k``."""
        return float(np.dot(self.weights, self.means))

    def density(self, x):
        """``p(x)`` at each point of ``x`` (any shape)."""
        x = as_float_array(x, "x")
        z = (x[..., None] - np.asarray(self.means)) / self.std
        terms = np.asarray(self.weights) * np.exp(-0.5 * z**2)
        return terms.sum(axis=-1) / (self.std * np.sqrt(2 * np.pi))

    def sample(self, n, rng):
        """``n`` samples as an ``(n, 1)`` array, drawn with the Generator ``rng``."""
        n = check_integer(n, "n", low=1)
        bounds = np.cumsum(self.weights)[:-1]
        components = np.searchsorted(bounds, rng.random(n), side="right")
        draws = rng.standard_normal(n)
        return (np.asarray(self.means)[components] + self.std * draws).reshape(-1, 1)


def make_target(target="two modes", separation=4.0, std=0.5):
    """The target distribution: one Gaussian, or two equal ones ``separation`` apart.

    ``"one mode"``: ``N(separation / 2, std^2)``, off the generator's starting point 0;
    ``"two modes"``: ``N(-separation / 2, std^2)`` and ``N(+separation / 2, std^2)``,
    weight 1/2 each. With the defaults the two modes lie ``8 std`` apart: a generator
    has to leave an almost empty gap between them.
    """
    target = check_choice(target, TARGETS, "target")
    separation = check_number(separation, "separation", low=0, low_inclusive=False)
    std = check_number(std, "std", low=0, low_inclusive=False)
    half = separation / 2
    if target == "one mode":
        return GaussianMixture1D((half,), std, (1.0,))
    return GaussianMixture1D((-half, half), std, (0.5, 0.5))


def _as_target(target):
    if isinstance(target, GaussianMixture1D):
        return target
    return make_target(target)


# ---------------------------------------------------------------------- mode coverage


def mode_coverage(samples, means, std, radius=2.0):
    """The share of ``samples`` within ``radius * std`` of each mode.

    .. math:: c_k = \\frac{1}{n} \\#\\{ i : |x_i - \\mu_k| < r \\sigma \\}

    A generator that reproduces a two-mode target with equal weights has
    ``c_k ≈ 0.477`` for each mode (the ``N(0, 1)`` mass within 2 standard deviations,
    halved); a collapsed generator has one share near 0.95 and the other near 0.

    Parameters
    ----------
    samples : array-like of shape (n,) or (n, 1)
        Generated numbers.
    means : sequence of float
        The modes ``mu_k``.
    std : float > 0
        The modes' standard deviation ``sigma``.
    radius : float > 0, default=2.0
        How many standard deviations count as "near".

    Returns
    -------
    ndarray of shape (n_modes,)
    """
    x = check_finite(as_float_array(samples, "samples").reshape(-1), "samples")
    means = check_finite(as_float_array(means, "means").reshape(-1), "means")
    std = check_number(std, "std", low=0, low_inclusive=False)
    radius = check_number(radius, "radius", low=0, low_inclusive=False)
    near = np.abs(x[:, None] - means[None, :]) < radius * std
    return near.mean(axis=0)


def modes_covered(shares, min_share=0.1):
    """How many modes hold at least ``min_share`` of the samples (from :func:`mode_coverage`)."""
    shares = check_finite(as_float_array(shares, "shares").reshape(-1), "shares")
    min_share = check_number(min_share, "min_share", low=0, high=1)
    return int((shares >= min_share).sum())


def optimal_discriminator(p_data, p_generated):
    """The best discriminator for a fixed generator (Goodfellow et al. 2014, Proposition 1).

    .. math:: D^*(x) = \\frac{p_{data}(x)}{p_{data}(x) + p_G(x)}

    maximises ``p_data ln D + p_G ln(1 - D)`` at every ``x``: the share of real samples
    among all samples found at ``x``. Where ``p_G = p_data`` it is 1/2.

    Parameters
    ----------
    p_data, p_generated : float or array-like, >= 0, not both 0
        The two densities at the same points.
    """
    p_data = as_float_array(p_data, "p_data")
    p_generated = as_float_array(p_generated, "p_generated")
    for values, argument in ((p_data, "p_data"), (p_generated, "p_generated")):
        if not np.isfinite(values).all() or (values < 0).any():
            raise ValueError(f"{argument} must hold finite densities >= 0.")
    total = p_data + p_generated
    if (total <= 0).any():
        raise ValueError("p_data and p_generated must not both be 0 at a point.")
    result = p_data / total
    return float(result) if result.ndim == 0 else result


# ---------------------------------------------------------------------- the two networks


def make_generator(hidden=(16, 16), activation="tanh", random_state=None):
    """The generator: an MLP from one noise value ``z`` to one number (identity output)."""
    sizes = check_layer_sizes(hidden, "hidden", min_length=1)
    return Network(
        [1, *sizes, 1], activation=activation, output="identity", random_state=random_state
    )


def make_discriminator(hidden=(16,), activation="tanh", random_state=None):
    """The discriminator: an MLP from one number to the probability "real" (logistic output)."""
    sizes = check_layer_sizes(hidden, "hidden", min_length=1)
    return Network(
        [1, *sizes, 1], activation=activation, output="logistic", random_state=random_state
    )


def _check_network(network, argument, output):
    if not isinstance(network, Network):
        raise TypeError(
            f"{argument} must be a widgets.engine.Network; got {type(network).__name__}."
        )
    if network.output != output or network.n_outputs != 1:
        raise ValueError(
            f"{argument} must have one output unit with the {output!r} output; got {network!r}."
        )
    return network


def _layers(network, X):
    """Forward pass through the public weights: the hidden activations and the net output.

    Returns ``hidden = [a_1, ..., a_{L-1}]`` and ``z_L = a_{L-1} W_L + b_L`` (the output
    layer's net input, *before* its activation: ``D``'s logit).
    """
    f = HIDDEN_ACTIVATIONS[network.activation]
    hidden, a = [], X
    for W, b in zip(network.coefs[:-1], network.intercepts[:-1]):
        a = a @ W + b
        f.apply_inplace(a)
        hidden.append(a)
    return hidden, a @ network.coefs[-1] + network.intercepts[-1]


def input_gradient(network, X, output_delta):
    """Back-propagate ``output_delta`` through ``network`` down to its input.

    For a network with net output ``z_L(x)`` (before the output activation) this is the
    vector-Jacobian product

    .. math:: \\frac{\\partial}{\\partial x_i} \\sum_k \\delta_{ik} \\, z_{L,ik}(x_i),

    computed as back-propagation computes ``delta`` for the weights, one layer further:
    ``delta_L = output_delta``, ``delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1})`` for the
    hidden layers, and the input's gradient ``delta_L ... W_1^T`` (the input layer has no
    activation). With ``output_delta = D(x)(1 - D(x))`` it is ``dD/dx``
    (:func:`discriminator_input_gradient`); with ``(D(x) - 1) / m`` it is the generator
    loss's gradient with respect to the generated samples.

    Parameters
    ----------
    network : Network
    X : array-like of shape (n, n_inputs)
    output_delta : array-like of shape (n, n_outputs)

    Returns
    -------
    ndarray of shape (n, n_inputs)
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a widgets.engine.Network; got {type(network).__name__}.")
    X = _check_inputs(network, X)
    delta = as_float_array(output_delta, "output_delta")
    if delta.shape != (len(X), network.n_outputs):
        raise ValueError(
            f"output_delta must have shape {(len(X), network.n_outputs)}; got {delta.shape}."
        )
    hidden, _ = _layers(network, X)
    return _backward_to_input(network, hidden, delta)


def _backward_to_input(network, hidden, delta):
    f = HIDDEN_ACTIVATIONS[network.activation]
    coefs = network.coefs
    for layer in reversed(range(1, len(coefs))):
        delta = delta @ coefs[layer].T
        f.derivative_inplace(hidden[layer - 1], delta, np.empty_like(delta))
    return delta @ coefs[0].T


def _check_inputs(network, X, argument="X"):
    X = check_finite(as_float_array(X, argument), argument)
    if X.ndim == 1 and network.layer_sizes[0] == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2 or X.shape[1] != network.layer_sizes[0]:
        raise ValueError(
            f"{argument} must have shape (n, {network.layer_sizes[0]}); got {X.shape}."
        )
    return X


def discriminator_input_gradient(discriminator, X):
    """``dD/dx`` at each sample: how the probability "real" changes as ``x`` moves.

    .. math:: \\frac{dD}{dx} = D(x)\\bigl(1 - D(x)\\bigr) \\frac{dz_L}{dx}

    (the logistic output's derivative times the logit's, :func:`input_gradient`).
    Returns an array of ``X``'s shape ``(n, 1)``.
    """
    D = _check_network(discriminator, "discriminator", "logistic")
    X = _check_inputs(D, X)
    hidden, logit = _layers(D, X)
    prob = HIDDEN_ACTIVATIONS["logistic"](logit)
    return _backward_to_input(D, hidden, prob * (1 - prob))


def discriminator_loss_and_gradients(discriminator, real, fake):
    """``L_D`` and its gradient with respect to ``D``'s parameters (flat, ``params`` order).

    .. math:: L_D = -\\frac{1}{m_r}\\sum_i \\ln D(x_i)
              - \\frac{1}{m_f}\\sum_j \\ln(1 - D(\\tilde x_j))

    computed by :meth:`Network.loss_and_gradients` on the real samples (label 1,
    weight ``1/m_r``) and the generated ones (label 0, weight ``1/m_f``): the weights sum
    to 2, so the network's weighted mean is ``L_D / 2`` and everything is doubled.
    (Probabilities are clipped to ``[eps, 1 - eps]`` as in the engine's loss.)

    Returns
    -------
    loss : float
    grads : ndarray, shaped like ``discriminator.params``
    """
    D = _check_network(discriminator, "discriminator", "logistic")
    real, fake = _check_inputs(D, real, "real"), _check_inputs(D, fake, "fake")
    X = np.vstack([real, fake])
    Y = np.concatenate([np.ones(len(real)), np.zeros(len(fake))]).reshape(-1, 1)
    weights = np.concatenate([np.full(len(real), 1 / len(real)), np.full(len(fake), 1 / len(fake))])
    loss, _, _ = D.loss_and_gradients(X, Y, sample_weight=weights)
    return 2 * loss, 2 * D.grads


def generator_loss_and_gradients(generator, discriminator, z):
    """``L_G`` and its gradient with respect to ``G``'s parameters; also the samples.

    .. math:: L_G = -\\frac{1}{m}\\sum_j \\ln D(G(z_j)), \\qquad
              g_j = \\frac{\\partial L_G}{\\partial x_j} = \\frac{D(x_j) - 1}{m}
              \\frac{dz_L}{dx}(x_j), \\qquad
              \\frac{\\partial L_G}{\\partial \\theta_G} = \\sum_j g_j
              \\frac{\\partial G(z_j)}{\\partial \\theta_G}

    (``-ln D = ln(1 + e^{-z_L})`` is computed from the logit ``z_L`` without rounding
    ``D`` first; ``g_j`` by :func:`input_gradient`; the last sum by ``G``'s own
    back-propagation with the pseudo-target ``G(z_j) - m g_j``, see the module's notes).
    ``D`` is not changed.

    Returns
    -------
    loss : float
    grads : ndarray, shaped like ``generator.params``
    fake : ndarray of shape (m, 1)
        The generated samples ``G(z_j)``.
    """
    G = _check_network(generator, "generator", "identity")
    D = _check_network(discriminator, "discriminator", "logistic")
    z = _check_inputs(G, z, "z")
    m = len(z)
    fake = G.forward(z)
    if not np.isfinite(fake).all():
        return float("nan"), np.full_like(G.params, np.nan), fake
    hidden, logit = _layers(D, fake)
    loss = float(np.logaddexp(0.0, -logit).mean())
    prob = HIDDEN_ACTIVATIONS["logistic"](logit)
    g = _backward_to_input(D, hidden, (prob - 1) / m)
    pseudo_target = fake - m * g
    if not np.isfinite(pseudo_target).all():
        return float("nan"), np.full_like(G.params, np.nan), fake
    G.loss_and_gradients(z, pseudo_target)
    return loss, G.grads.copy(), fake


# ---------------------------------------------------------------------- training


@dataclass
class GanRun:
    """What :func:`train_gan` recorded.

    Attributes
    ----------
    target : GaussianMixture1D
    settings : dict
        The arguments of the run.
    d_loss, g_loss : ndarray of shape (n_steps,)
        ``L_D`` (of the step's last discriminator update) and ``L_G`` at each step,
        before that step's updates.
    record_steps : ndarray of int, shape (n_records,)
        The steps after which the generator was recorded (0: before training).
    bin_edges : ndarray of shape (n_bins + 1,)
    histograms : ndarray of shape (n_records, n_bins)
        Density histogram (area 1 over the samples inside the range) of ``G`` on a fixed
        set of ``n_eval`` noise values.
    outside : ndarray of shape (n_records,)
        Share of those samples outside the histogram's range.
    grid : ndarray of shape (n_grid,)
    d_curves : ndarray of shape (n_records, n_grid)
        ``D(x)`` on ``grid``.
    coverage : ndarray of shape (n_records, n_modes)
        :func:`mode_coverage` of the generated samples.
    generated_mean, generated_std, wasserstein : ndarray of shape (n_records,)
        Mean and standard deviation of the generated samples and their 1-Wasserstein
        distance to as many target samples (``scipy.stats.wasserstein_distance``).
    diverged : bool
    diverged_step : int or None
        The step whose numbers were no longer finite (training stopped there).
    final_samples : ndarray of shape (n_eval,)
        The generated samples of the last recorded step.
    """

    target: GaussianMixture1D
    settings: dict
    d_loss: np.ndarray
    g_loss: np.ndarray
    record_steps: np.ndarray
    bin_edges: np.ndarray
    histograms: np.ndarray
    outside: np.ndarray
    grid: np.ndarray
    d_curves: np.ndarray
    coverage: np.ndarray
    generated_mean: np.ndarray
    generated_std: np.ndarray
    wasserstein: np.ndarray
    diverged: bool = False
    diverged_step: int | None = None
    final_samples: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_steps(self) -> int:
        """Steps completed (fewer than asked if the run diverged)."""
        return len(self.d_loss)

    def record_index(self, step) -> int:
        """Index of the last record at or before ``step``."""
        step = check_integer(step, "step", low=0)
        return int(np.searchsorted(self.record_steps, step, side="right") - 1)

    def modes_covered(self, index=-1, min_share=0.1) -> int:
        """Modes holding at least ``min_share`` of the generated samples at record ``index``."""
        return modes_covered(self.coverage[index], min_share)

    @property
    def message(self) -> str:
        """One sentence on how the run ended."""
        if self.diverged:
            return (
                f"diverged at step {self.diverged_step}: the losses or weights stopped being "
                "finite numbers, so training stopped there"
            )
        return f"trained {self.n_steps} steps"


def _record_range(target):
    low = min(target.means) - 4 * target.std - 1.0
    high = max(target.means) + 4 * target.std + 1.0
    return low, high


def train_gan(
    target="two modes",
    steps=1000,
    lr_generator=0.001,
    lr_discriminator=0.005,
    d_steps=1,
    batch_size=64,
    optimizer="adam",
    generator_hidden=(16, 16),
    discriminator_hidden=(32, 32),
    activation="tanh",
    n_eval=1000,
    n_bins=60,
    n_grid=121,
    record_every=10,
    seed=0,
    callback=None,
):
    """Train a GAN on a 1-D target by alternating gradient steps; record the game.

    Each step: ``d_steps`` (``k``) updates of ``D`` on ``L_D``, each with a fresh batch of
    ``batch_size`` target samples and as many generated ones; then one update of ``G``
    on ``L_G`` with fresh noise. ``G`` and ``D`` have their own optimizer and learning
    rate. Adam uses ``betas = (0.5, 0.999)`` (the usual choice for GANs since Radford et
    al. 2016); ``sgd`` is plain gradient descent.

    Parameters
    ----------
    target : {"one mode", "two modes"} or GaussianMixture1D, default="two modes"
        See :func:`make_target` (modes at ±2, standard deviation 0.5).
    steps : int ≥ 1
    lr_generator, lr_discriminator : float > 0
    d_steps : int ≥ 1
        Discriminator updates per generator update.
    batch_size : int ≥ 1
    optimizer : {"adam", "sgd"}
    generator_hidden, discriminator_hidden : sequence of int
        Hidden-layer widths.
    activation : str
        Hidden activation of both networks.
    n_eval : int ≥ 10
        Fixed noise values whose generated samples are recorded.
    n_bins, n_grid : int
        Histogram bins and ``D(x)`` grid points over the target's range ± (4 std + 1).
    record_every : int ≥ 1
        Record the generator every this many steps (and before the first).
    seed : int, Generator or None
        Seeds the initial weights, every batch and the evaluation noise.
    callback : callable or None
        ``callback(step, steps)`` after every recorded step (a progress bar).

    Returns
    -------
    GanRun
    """
    target = _as_target(target)
    steps = check_integer(steps, "steps", low=1)
    lr_g = check_number(lr_generator, "lr_generator", low=0, low_inclusive=False)
    lr_d = check_number(lr_discriminator, "lr_discriminator", low=0, low_inclusive=False)
    d_steps = check_integer(d_steps, "d_steps", low=1)
    batch_size = check_integer(batch_size, "batch_size", low=1)
    optimizer = check_choice(optimizer, ("adam", "sgd"), "optimizer")
    n_eval = check_integer(n_eval, "n_eval", low=10)
    n_bins = check_integer(n_bins, "n_bins", low=2)
    n_grid = check_integer(n_grid, "n_grid", low=2)
    record_every = check_integer(record_every, "record_every", low=1)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None; got {type(callback).__name__}.")
    rng = check_seed(seed)
    settings = {
        "steps": steps,
        "lr_generator": lr_g,
        "lr_discriminator": lr_d,
        "d_steps": d_steps,
        "batch_size": batch_size,
        "optimizer": optimizer,
        "seed": seed if not isinstance(seed, np.random.Generator) else None,
    }

    G = make_generator(generator_hidden, activation, random_state=int(rng.integers(2**31)))
    D = make_discriminator(discriminator_hidden, activation, random_state=int(rng.integers(2**31)))
    hyper = {"betas": (0.5, 0.999)} if optimizer == "adam" else {}
    opt_g = make_optimizer(optimizer, [G.params], lr=lr_g, **hyper)
    opt_d = make_optimizer(optimizer, [D.params], lr=lr_d, **hyper)

    z_eval = rng.standard_normal((n_eval, 1))
    target_eval = target.sample(n_eval, rng).reshape(-1)
    low, high = _record_range(target)
    bin_edges = np.linspace(low, high, n_bins + 1)
    grid = np.linspace(low, high, n_grid)
    records = {
        key: [] for key in ("steps", "hist", "outside", "d", "cov", "mean", "std", "w1", "samples")
    }

    def record(step):
        samples = G.forward(z_eval).reshape(-1)
        inside = (samples >= low) & (samples <= high)
        counts, _ = np.histogram(samples[inside], bins=bin_edges)
        width = bin_edges[1] - bin_edges[0]
        records["steps"].append(step)
        records["hist"].append(counts / max(inside.sum(), 1) / width)
        records["outside"].append(1 - inside.mean())
        records["d"].append(D.forward(grid.reshape(-1, 1)).reshape(-1))
        records["cov"].append(mode_coverage(samples, target.means, target.std))
        records["mean"].append(samples.mean())
        records["std"].append(samples.std())
        records["w1"].append(wasserstein_distance(samples, target_eval))
        records["samples"] = samples
        if callback is not None:
            callback(step, steps)

    d_losses, g_losses = [], []
    diverged_step = None
    record(0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(1, steps + 1):
            for _ in range(d_steps):
                real = target.sample(batch_size, rng)
                fake = G.forward(rng.standard_normal((batch_size, 1)))
                if not np.isfinite(fake).all():
                    d_loss = float("nan")
                    break
                d_loss, d_grads = discriminator_loss_and_gradients(D, real, fake)
                opt_d.step([d_grads])
            g_loss = float("nan")
            if np.isfinite(d_loss) and np.isfinite(D.params).all():
                g_loss, g_grads, _ = generator_loss_and_gradients(
                    G, D, rng.standard_normal((batch_size, 1))
                )
                if np.isfinite(g_grads).all():
                    opt_g.step([g_grads])
            finite = np.isfinite([d_loss, g_loss]).all()
            if not (finite and np.isfinite(G.params).all() and np.isfinite(D.params).all()):
                diverged_step = step
                break
            d_losses.append(d_loss)
            g_losses.append(g_loss)
            if step % record_every == 0 or step == steps:
                record(step)

    return GanRun(
        target=target,
        settings=settings,
        d_loss=np.array(d_losses),
        g_loss=np.array(g_losses),
        record_steps=np.array(records["steps"]),
        bin_edges=bin_edges,
        histograms=np.array(records["hist"]),
        outside=np.array(records["outside"]),
        grid=grid,
        d_curves=np.array(records["d"]),
        coverage=np.array(records["cov"]),
        generated_mean=np.array(records["mean"]),
        generated_std=np.array(records["std"]),
        wasserstein=np.array(records["w1"]),
        diverged=diverged_step is not None,
        diverged_step=diverged_step,
        final_samples=records["samples"],
    )


def coverage_over_seeds(seeds=range(8), min_share=0.1, **train_kwargs):
    """Train one run per seed; return the modes each covers at its end and the runs.

    Returns
    -------
    covered : ndarray of int, shape (n_seeds,)
        :func:`modes_covered` of each run's last record (0 for a diverged run).
    runs : list of GanRun
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed.")
    runs = [train_gan(seed=seed, **train_kwargs) for seed in seeds]
    covered = np.array(
        [0 if run.diverged else run.modes_covered(-1, min_share) for run in runs], dtype=int
    )
    return covered, runs
