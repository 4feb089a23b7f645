"""Gradient-based update rules: sgd, rprop, adagrad, rmsprop, adam and delta-bar-delta.

``make_optimizer(name, params, **hyper)`` returns an optimizer whose
``step(grads)`` updates the arrays in ``params`` **in place**, one gradient
array per parameter array. Defaults and update rules are those of
``torch.optim`` (without weight decay); ``sgd`` and ``adam`` are computed in
exactly scikit-learn's arithmetic, so that the estimators of this package
reproduce ``sklearn.neural_network`` to the last digit.

Notation: ``theta`` a parameter, ``g`` its gradient at step ``t`` (t = 1, 2,
...), ``lr`` the learning rate; all operations are element-wise.

Every optimizer keeps its state in arrays allocated once, and updates with
``out=`` NumPy calls, so a step allocates nothing. The estimators pass a
single flat parameter vector (see :mod:`widgets.engine.network`), which makes
a step a handful of NumPy calls whatever the number of layers.
"""

import inspect
from functools import partial
from numbers import Real

import numpy as np

from .validation import check_choice, check_scalar

__all__ = [
    "SGD",
    "Rprop",
    "Adagrad",
    "RMSprop",
    "Adam",
    "DeltaBarDelta",
    "make_optimizer",
    "OPTIMIZERS",
]

# Bound once for the per-mini-batch updates.
_add = np.add
_subtract = np.subtract
_multiply = np.multiply
_divide = np.divide
_sqrt = np.sqrt


class Optimizer:
    """Base class: holds the parameters and the learning rate.

    Parameters
    ----------
    params : list of ndarray
        Arrays updated in place by :meth:`step`.
    lr : float
        Learning rate (> 0).

    Attributes
    ----------
    learning_rate : float
        The current learning rate (schedules may change it).
    n_steps : int
        Number of calls to :meth:`step` so far.
    """

    def __init__(self, params, lr):
        self.params = _check_params(params)
        self.learning_rate_init = check_scalar(lr, "lr", low=0, low_inclusive=False)
        self.learning_rate = self.learning_rate_init
        self.n_steps = 0

    def _state_like_params(self, fill=0.0):
        """One array per parameter, of its shape and dtype, filled with ``fill``."""
        return [np.full_like(param, fill) for param in self.params]

    def step(self, grads):
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        grads : list of ndarray
            ``grads[i]`` is the gradient of the objective with respect to
            ``params[i]`` (same shape).
        """
        params = self.params
        if len(grads) != len(params):
            raise ValueError(
                f"grads must hold one array per parameter ({len(params)}); got {len(grads)}."
            )
        for index, (param, grad) in enumerate(zip(params, grads)):
            if grad.shape != param.shape:
                raise ValueError(f"grads[{index}] must have shape {param.shape}; got {grad.shape}.")
        self.step_unchecked(grads)

    def step_unchecked(self, grads):
        """:meth:`step` without the argument checks.

        For training loops that pass the same, already consistent, gradient
        arrays at every step (the checks would cost as much as the update on
        a small network).
        """
        self.n_steps += 1
        for index, (param, grad) in enumerate(zip(self.params, grads)):
            self._update(index, param, grad)

    def stepper(self, grads):
        """Return a function of no arguments that does ``step_unchecked(grads)``.

        For training loops that step with the same gradient arrays many
        times: an optimizer can look up its arrays once here and return a
        leaner update (as :class:`SGD` does).
        """
        return partial(self.step_unchecked, grads)

    def _update(self, index, param, grad):
        raise NotImplementedError

    # Hooks used by the estimators' training loop (scikit-learn's protocol).

    def iteration_ends(self, time_step):
        """Called after each epoch with the number of samples seen so far."""

    def trigger_stopping(self, message, verbose):
        """Called when the loss stopped improving; return True to stop."""
        if verbose:
            print(message + " Stopping.")
        return True


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    With momentum ``mu`` the update keeps a velocity ``v`` (initially 0)::

        v     <- mu * v - lr * g
        theta <- theta + v                      (classical momentum)
        theta <- theta + mu * v - lr * g        (nesterov=True)

    With a constant ``lr`` this is exactly torch.optim.SGD's rule, whose
    buffer ``b <- mu * b + g`` and step ``theta <- theta - lr * b`` (or
    ``- lr * (g + mu * b)`` for Nesterov) satisfy ``v = -lr * b``. The velocity
    form is scikit-learn's; it keeps each past step at the learning rate it
    was taken with when a schedule changes ``lr``.

    Parameters
    ----------
    params : list of ndarray
        Arrays updated in place.
    lr : float
        Learning rate (required, as in torch).
    momentum : float, default=0
        Momentum factor ``mu`` (>= 0).
    nesterov : bool, default=False
        Use Nesterov's momentum.
    lr_schedule : {"constant", "invscaling", "adaptive"}, default="constant"
        scikit-learn's schedules, applied by :meth:`iteration_ends` and
        :meth:`trigger_stopping`: ``invscaling`` sets
        ``lr = lr_init / (t + 1) ** power_t`` after each epoch, with ``t``
        the number of samples seen; ``adaptive`` divides ``lr`` by 5 each
        time the loss stops improving, and stops once ``lr <= 1e-6``.
    power_t : float, default=0.5
        Exponent of ``invscaling``.
    """

    def __init__(
        self, params, lr, momentum=0.0, nesterov=False, lr_schedule="constant", power_t=0.5
    ):
        super().__init__(params, lr)
        self.momentum = check_scalar(momentum, "momentum", low=0)
        self.nesterov = bool(nesterov)
        self.lr_schedule = check_choice(
            lr_schedule, ("constant", "invscaling", "adaptive"), "lr_schedule"
        )
        self.power_t = check_scalar(power_t, "power_t", low=0)
        # 0-d array copies of the scalars: ufuncs take them faster than
        # Python floats (this runs once per mini-batch).
        dtype = self.params[0].dtype
        self._momentum_array = _scalar_array(self.momentum, dtype)
        self._lr_array = _scalar_array(self.learning_rate, dtype)
        self._lr_value = self.learning_rate  # the value in _lr_array
        self.velocities = self._state_like_params()
        self._scaled_grads = self._state_like_params()
        self._nesterov_steps = self._state_like_params() if self.nesterov else None

    def _update(self, index, param, grad):
        # Positional out= arguments: this runs once per mini-batch.
        lr = self._lr_array
        if self._lr_value != self.learning_rate:  # changed by a schedule (or by hand)
            lr[()] = self._lr_value = self.learning_rate
        scaled_grad = _multiply(grad, lr, self._scaled_grads[index])
        momentum = self._momentum_array
        if self.momentum == 0.0:
            # v = 0 * v - lr * g = -lr * g: skip the velocity bookkeeping.
            _subtract(param, scaled_grad, param)
            return
        velocity = self.velocities[index]
        _multiply(velocity, momentum, velocity)
        _subtract(velocity, scaled_grad, velocity)
        if self.nesterov:
            look_ahead = _multiply(velocity, momentum, self._nesterov_steps[index])
            _subtract(look_ahead, scaled_grad, look_ahead)
            _add(param, look_ahead, param)
        else:
            _add(param, velocity, param)

    def stepper(self, grads):
        # One parameter array (the estimators' flat vector) with momentum:
        # _update's arithmetic with its arrays looked up once. With Nesterov's
        # momentum it also saves a multiplication per step: the look-ahead
        # mu * v of one step is the very product mu * v that the next step's
        # velocity update starts from (v does not change in between), so it
        # is kept rather than recomputed. It is computed afresh from the
        # velocity here, so a stepper made after any change to the state
        # (another step, a new velocity) starts consistent.
        if len(self.params) != 1 or len(grads) != 1 or self.momentum == 0.0:
            return super().stepper(grads)
        velocity, momentum = self.velocities[0], self._momentum_array
        decayed = _multiply(velocity, momentum) if self.nesterov else None  # mu * v
        # One tuple rather than separate closure variables: less memory.
        arrays = (
            self.params[0],
            grads[0],
            self._lr_array,
            momentum,
            self._scaled_grads[0],
            velocity,
            decayed,
            self._nesterov_steps[0] if self.nesterov else None,
        )

        def step():
            param, grad, lr, momentum, scaled_grad, velocity, decayed, look_ahead = arrays
            self.n_steps += 1
            if self._lr_value != self.learning_rate:  # changed by a schedule (or by hand)
                lr[()] = self._lr_value = self.learning_rate
            _multiply(grad, lr, scaled_grad)
            if decayed is None:
                _multiply(velocity, momentum, velocity)
                _subtract(velocity, scaled_grad, velocity)
                _add(param, velocity, param)
            else:
                _subtract(decayed, scaled_grad, velocity)  # v <- mu * v - lr * g
                _multiply(velocity, momentum, decayed)  # mu * v, now and next step
                _subtract(decayed, scaled_grad, look_ahead)
                _add(param, look_ahead, param)

        return step

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (time_step + 1) ** self.power_t

    def trigger_stopping(self, message, verbose):
        if self.lr_schedule != "adaptive":
            return super().trigger_stopping(message, verbose)
        if self.learning_rate <= 1e-6:
            if verbose:
                print(message + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(message + f" Setting learning rate to {self.learning_rate:f}")
        return False


class Rprop(Optimizer):
    """Resilient back-propagation (Riedmiller & Braun, 1993), torch's variant.

    Each parameter has its own step size ``s`` (initially ``lr``) and only
    the *sign* of its gradient is used::

        if g * g_prev > 0:  s <- min(s * eta_plus, s_max)
        if g * g_prev < 0:  s <- max(s * eta_minus, s_min);  g <- 0
        theta  <- theta - s * sign(g)
        g_prev <- g

    (so after a sign change the parameter does not move, and the next step
    is treated as a fresh start).

    Parameters
    ----------
    params : list of ndarray
    lr : float, default=0.01
        Initial step size.
    etas : (float, float), default=(0.5, 1.2)
        ``(eta_minus, eta_plus)`` with ``0 < eta_minus < 1 < eta_plus``.
    step_sizes : (float, float), default=(1e-6, 50)
        ``(s_min, s_max)``.
    """

    def __init__(self, params, lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50)):
        super().__init__(params, lr)
        self.eta_minus, self.eta_plus = _check_pair(etas, "etas")
        if not 0.0 < self.eta_minus < 1.0 < self.eta_plus:
            raise ValueError(f"etas must satisfy 0 < eta_minus < 1 < eta_plus; got {tuple(etas)}.")
        self.step_size_min, self.step_size_max = _check_pair(step_sizes, "step_sizes")
        if not 0.0 <= self.step_size_min <= self.step_size_max:
            raise ValueError(f"step_sizes must satisfy 0 <= min <= max; got {tuple(step_sizes)}.")
        self.step_sizes = self._state_like_params(self.learning_rate)
        self.previous_grads = self._state_like_params()
        self._factors = self._state_like_params()

    def _update(self, index, param, grad):
        previous = self.previous_grads[index]
        factor = self._factors[index]
        step_size = self.step_sizes[index]
        np.multiply(grad, previous, out=factor)
        same_sign = factor > 0
        sign_flipped = factor < 0
        factor.fill(1.0)
        factor[same_sign] = self.eta_plus
        factor[sign_flipped] = self.eta_minus
        step_size *= factor
        np.clip(step_size, self.step_size_min, self.step_size_max, out=step_size)
        # The gradient remembered for next time is zero where the sign flipped.
        np.copyto(previous, grad)
        previous[sign_flipped] = 0.0
        np.sign(previous, out=factor)
        factor *= step_size
        param -= factor


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), torch's rule.

    ::

        lr_t  = lr / (1 + (t - 1) * lr_decay)
        G     <- G + g**2                      (G starts at initial_accumulator_value)
        theta <- theta - lr_t * g / (sqrt(G) + eps)

    Parameters
    ----------
    params : list of ndarray
    lr : float, default=0.01
    lr_decay : float, default=0
    eps : float, default=1e-10
    initial_accumulator_value : float, default=0
    """

    def __init__(self, params, lr=0.01, lr_decay=0.0, eps=1e-10, initial_accumulator_value=0.0):
        super().__init__(params, lr)
        self.lr_decay = check_scalar(lr_decay, "lr_decay", low=0)
        self.eps = check_scalar(eps, "eps", low=0)
        self.initial_accumulator_value = check_scalar(
            initial_accumulator_value, "initial_accumulator_value", low=0
        )
        self.sums = self._state_like_params(self.initial_accumulator_value)
        self._scratch = self._state_like_params()

    def _update(self, index, param, grad):
        self.learning_rate = self.learning_rate_init / (1 + (self.n_steps - 1) * self.lr_decay)
        scratch = self._scratch[index]
        accumulated = self.sums[index]
        np.multiply(grad, grad, out=scratch)
        accumulated += scratch
        np.sqrt(accumulated, out=scratch)
        scratch += self.eps
        np.divide(grad, scratch, out=scratch)
        scratch *= self.learning_rate
        param -= scratch


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), torch's rule.

    ::

        v     <- alpha * v + (1 - alpha) * g**2
        m     <- alpha * m + (1 - alpha) * g                 (centered only)
        d      = sqrt(v - m**2) + eps   if centered else sqrt(v) + eps
        b     <- mu * b + g / d;   theta <- theta - lr * b   (momentum mu > 0)
        theta <- theta - lr * g / d                          (mu = 0)

    Parameters
    ----------
    params : list of ndarray
    lr : float, default=0.01
    alpha : float, default=0.99
        Smoothing constant, in [0, 1].
    eps : float, default=1e-8
    momentum : float, default=0
    centered : bool, default=False
        Normalise by an estimate of the gradient's variance instead of its
        second moment.
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
        super().__init__(params, lr)
        self.alpha = check_scalar(alpha, "alpha", low=0, high=1)
        self.eps = check_scalar(eps, "eps", low=0)
        self.momentum = check_scalar(momentum, "momentum", low=0)
        self.centered = bool(centered)
        self.square_averages = self._state_like_params()
        self.grad_averages = self._state_like_params() if self.centered else None
        self.buffers = self._state_like_params() if self.momentum > 0 else None
        self._scratch = self._state_like_params()

    def _update(self, index, param, grad):
        scratch = self._scratch[index]
        square_average = self.square_averages[index]
        square_average *= self.alpha
        np.multiply(grad, grad, out=scratch)
        scratch *= 1 - self.alpha
        square_average += scratch
        if self.centered:
            grad_average = self.grad_averages[index]
            grad_average *= self.alpha
            np.multiply(grad, 1 - self.alpha, out=scratch)
            grad_average += scratch
            np.multiply(grad_average, grad_average, out=scratch)
            np.subtract(square_average, scratch, out=scratch)
            np.sqrt(scratch, out=scratch)
        else:
            np.sqrt(square_average, out=scratch)
        scratch += self.eps
        np.divide(grad, scratch, out=scratch)
        if self.momentum > 0:
            buffer = self.buffers[index]
            buffer *= self.momentum
            buffer += scratch
            np.multiply(buffer, self.learning_rate, out=scratch)
        else:
            scratch *= self.learning_rate
        param -= scratch


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014) in the paper's efficient form.

    ::

        m     <- beta1 * m + (1 - beta1) * g
        v     <- beta2 * v + (1 - beta2) * g**2
        lr_t   = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        theta <- theta - lr_t * m / (sqrt(v) + eps)

    This is scikit-learn's computation; it equals torch.optim.Adam's except
    that ``eps`` is added to ``sqrt(v)`` before rather than after the bias
    correction (a difference of order ``eps``).

    Parameters
    ----------
    params : list of ndarray
    lr : float, default=0.001
    betas : (float, float), default=(0.9, 0.999)
        Decay rates ``(beta1, beta2)`` of the moment estimates, in [0, 1).
    eps : float, default=1e-8
    """

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        beta_1, beta_2 = _check_pair(betas, "betas")
        self.beta_1 = check_scalar(beta_1, "betas[0]", low=0, high=1, high_inclusive=False)
        self.beta_2 = check_scalar(beta_2, "betas[1]", low=0, high=1, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0, low_inclusive=False)
        # 0-d arrays: ufuncs take them faster than Python floats.
        dtype = self.params[0].dtype
        self._constants = tuple(
            _scalar_array(value, dtype)
            for value in (self.beta_1, 1 - self.beta_1, self.beta_2, 1 - self.beta_2, self.eps)
        )
        self._negative_lr = _scalar_array(-self.learning_rate, dtype)
        self.first_moments = self._state_like_params()
        self.second_moments = self._state_like_params()
        self._scratch = self._state_like_params()
        self._steps = self._state_like_params()

    def step_unchecked(self, grads):
        # lr_t depends only on t: compute it once per step, not per array.
        t = self.n_steps + 1
        self.learning_rate = (
            self.learning_rate_init * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        )
        self._negative_lr[()] = -self.learning_rate
        super().step_unchecked(grads)

    def _update(self, index, param, grad):
        scratch = self._scratch[index]
        first = self.first_moments[index]
        second = self.second_moments[index]
        beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, eps = self._constants
        _multiply(first, beta_1, first)
        _add(first, _multiply(grad, one_minus_beta_1, scratch), first)
        _multiply(second, beta_2, second)
        squared = _multiply(grad, grad, scratch)
        _add(second, _multiply(squared, one_minus_beta_2, squared), second)
        denominator = _add(_sqrt(second, scratch), eps, scratch)
        update = _multiply(first, self._negative_lr, self._steps[index])
        _divide(update, denominator, update)
        _add(param, update, param)


class DeltaBarDelta(Optimizer):
    """Delta-bar-delta (Jacobs, 1988): a learning rate per weight, adapted by sign.

    Each parameter has its own rate ``r`` (initially ``lr``) and an exponential
    average ``a`` of its past gradients (initially 0, Jacobs' "delta-bar"). At
    each step the new gradient ``g`` is compared with the average of the
    gradients *before* it::

        if g * a > 0:  r <- r + kappa             (same sign: grow additively)
        if g * a < 0:  r <- r * (1 - phi)         (sign flipped: shrink by a factor)
        theta <- theta - r * g
        a     <- (1 - theta_bar) * g + theta_bar * a

    (where ``g * a == 0``, e.g. at the first step, ``r`` is unchanged), with
    ``theta_bar`` the hyperparameter ``theta`` (Jacobs' θ, not a weight). Growing
    additively and shrinking geometrically lets the rate rise slowly on a long
    slope and collapse fast when it starts to oscillate. Unlike :class:`Rprop`
    the step is ``r * g``: it keeps the gradient's size, not only its sign.
    No bound on ``r`` is imposed (Jacobs imposes none); a ``kappa`` too large
    for the problem makes the run diverge.

    torch.optim has no counterpart; the rule is Jacobs' (1988), with the rate
    updated before the step that uses it.

    Parameters
    ----------
    params : list of ndarray
    lr : float, default=0.01
        Initial rate of every weight (> 0).
    kappa : float, default=0.001
        Additive increase ``kappa`` (>= 0).
    phi : float, default=0.1
        Fraction ``phi`` taken off the rate at a sign flip, in [0, 1).
    theta : float, default=0.7
        Weight ``theta_bar`` of the old average in the new one, in [0, 1).
    """

    def __init__(self, params, lr=0.01, kappa=0.001, phi=0.1, theta=0.7):
        super().__init__(params, lr)
        self.kappa = check_scalar(kappa, "kappa", low=0)
        self.phi = check_scalar(phi, "phi", low=0, high=1, high_inclusive=False)
        self.theta = check_scalar(theta, "theta", low=0, high=1, high_inclusive=False)
        self.rates = self._state_like_params(self.learning_rate)
        self.grad_averages = self._state_like_params()
        self._scratch = self._state_like_params()

    def _update(self, index, param, grad):
        rate = self.rates[index]
        average = self.grad_averages[index]
        scratch = self._scratch[index]
        np.multiply(grad, average, out=scratch)
        same_sign = scratch > 0
        flipped = scratch < 0
        rate[same_sign] += self.kappa
        rate[flipped] *= 1.0 - self.phi
        np.multiply(rate, grad, out=scratch)
        param -= scratch
        average *= self.theta
        np.multiply(grad, 1.0 - self.theta, out=scratch)
        average += scratch


#: Optimizer class by name.
OPTIMIZERS = {
    "sgd": SGD,
    "rprop": Rprop,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "delta_bar_delta": DeltaBarDelta,
}


def hyperparameter_names(name):
    """Return the hyperparameters ``make_optimizer(name, ...)`` accepts."""
    signature = inspect.signature(OPTIMIZERS[name].__init__)
    return [p for p in signature.parameters if p not in ("self", "params")]


def make_optimizer(name, params, **hyper):
    """Return the optimizer ``name`` for the arrays ``params``.

    Parameters
    ----------
    name : {"sgd", "rprop", "adagrad", "rmsprop", "adam", "delta_bar_delta"}
        Update rule (see each class for its formula and defaults):
        ``sgd(lr, momentum=0, nesterov=False)``,
        ``rprop(lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50))``,
        ``adagrad(lr=0.01, lr_decay=0, eps=1e-10, initial_accumulator_value=0)``,
        ``rmsprop(lr=0.01, alpha=0.99, eps=1e-8, momentum=0, centered=False)``,
        ``adam(lr=0.001, betas=(0.9, 0.999), eps=1e-8)``,
        ``delta_bar_delta(lr=0.01, kappa=0.001, phi=0.1, theta=0.7)``.
    params : list of ndarray
        Arrays that :meth:`Optimizer.step` updates in place.
    **hyper
        Hyperparameters of the rule.

    Returns
    -------
    Optimizer
        Call ``optimizer.step(grads)`` with one gradient per parameter.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> opt = make_optimizer("sgd", [w], lr=0.1)
    >>> opt.step([np.array([1.0, 1.0])])
    >>> w
    array([ 0.9, -2.1])
    """
    name = check_choice(name, OPTIMIZERS, "name")
    accepted = hyperparameter_names(name)
    for key in hyper:
        if key not in accepted:
            raise TypeError(
                f"{name} got an unexpected hyperparameter {key!r}; it accepts {accepted}."
            )
    if name == "sgd" and "lr" not in hyper:
        raise TypeError("sgd needs a learning rate: make_optimizer('sgd', params, lr=...).")
    return OPTIMIZERS[name](params, **hyper)


def _scalar_array(value, dtype):
    # A 0-d array in the parameters' dtype: float32 parameters combined with
    # it compute in float32, as with a Python float.
    return np.array(value, dtype=dtype)


def _check_params(params):
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of arrays; wrap a single array as [array].")
    params = list(params)
    if not params:
        raise ValueError("params must hold at least one array.")
    for index, param in enumerate(params):
        if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
            raise TypeError(
                f"params[{index}] must be a float NumPy array (updated in place); "
                f"got {type(param).__name__}."
            )
    return params


def _check_pair(values, argument):
    try:
        first, second = values
    except (TypeError, ValueError):
        raise TypeError(f"{argument} must be a pair of numbers; got {values!r}.") from None
    for value in (first, second):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"{argument} must be a pair of numbers; got {values!r}.")
    return float(first), float(second)
