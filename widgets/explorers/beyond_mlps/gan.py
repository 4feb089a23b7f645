"""Chapter 13's GAN explorer: a generator and a discriminator in one dimension.

:class:`GanExplorer` trains a 1-D GAN (:func:`widgets.engine.gan.train_gan`: two small
MLPs, Adam, ``k`` discriminator steps per generator step) for :data:`STEPS` steps on one
or two Gaussian modes, recording the generator every :data:`RECORD_EVERY` steps. The
``step`` slider scrubs through that recorded run: the target density against the
histogram of generated samples, the discriminator's ``D(x)``, both losses and the share
of samples near each mode (mode collapse shows as one share falling to 0). Each run is
computed once, with a progress bar, and cached; scrubbing only redraws.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.figures import BlittedFigure, new_figure
from widgets.display.images import png_img_tag
from widgets.display.palette import AMBER, GREY, NAVY, RED, TEAL
from widgets.engine.gan import (
    EQUILIBRIUM_D_LOSS,
    EQUILIBRIUM_G_LOSS,
    TARGETS,
    modes_covered,
    train_gan,
)
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = [
    "GanExplorer",
    "STEPS",
    "RECORD_EVERY",
    "LEARNING_RATES",
    "D_STEPS",
    "SEEDS",
    "gan_run",
    "smooth",
]

#: Training steps of every run (one generator update each).
STEPS = 1000
#: The generator is recorded every this many steps: the step slider's increment.
RECORD_EVERY = 10
#: Learning rates offered for each network (Adam).
LEARNING_RATES = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
#: Discriminator steps per generator step offered.
D_STEPS = (1, 2, 3)
#: Seeds offered.
SEEDS = (0, 1, 2, 3, 4)
#: A mode holding at least this share of the samples counts as covered.
MIN_SHARE = 0.1
#: Runs and figures kept.
CACHE_SIZE = 48

_RUNS: OrderedDict = OrderedDict()
_FIGURES: OrderedDict = OrderedDict()


def gan_run(target="two modes", lr_generator=0.001, lr_discriminator=0.005, d_steps=1,
            seed=0, callback=None):  # fmt: skip
    """The explorer's run for one setting (cached): :func:`train_gan` with its defaults,
    :data:`STEPS` steps, recorded every :data:`RECORD_EVERY`."""
    key = (target, float(lr_generator), float(lr_discriminator), int(d_steps), int(seed))
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    run = train_gan(
        target,
        steps=STEPS,
        lr_generator=lr_generator,
        lr_discriminator=lr_discriminator,
        d_steps=d_steps,
        record_every=RECORD_EVERY,
        seed=seed,
        callback=callback,
    )
    _RUNS[key] = run
    while len(_RUNS) > CACHE_SIZE:
        _RUNS.popitem(last=False)
    return run


def smooth(values, window=25):
    """Running mean over the last ``window`` values (fewer at the start)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    sums = np.cumsum(values)
    out = sums.copy()
    out[window:] = sums[window:] - sums[:-window]
    counts = np.minimum(np.arange(1, values.size + 1), window)
    return out / counts


def _one_of(value, options, argument):
    if value not in options:
        raise ValueError(f"{argument} must be one of {list(options)}; got {value!r}.")
    return value


def _mode_name(mean):
    return f"{mean:+g}".replace("-", "−")


class GanExplorer(Explorer):
    """A 1-D GAN scrubbed step by step: generated histogram, ``D(x)``, losses, coverage.

    Controls: ``target`` (one or two Gaussian modes), ``lr_generator`` and
    ``lr_discriminator`` (Adam's learning rates), ``d_steps`` (``k``, discriminator
    updates per generator update), ``seed`` and ``step`` (which recorded step to show;
    scrubbing does not retrain).
    """

    def __init__(
        self,
        target="two modes",
        lr_generator=0.001,
        lr_discriminator=0.005,
        d_steps=1,
        seed=0,
        step=STEPS,
    ):
        self._start = {
            "target": check_choice(target, TARGETS, "target"),
            "lr_generator": _one_of(
                check_number(lr_generator, "lr_generator"), LEARNING_RATES, "lr_generator"
            ),
            "lr_discriminator": _one_of(
                check_number(lr_discriminator, "lr_discriminator"),
                LEARNING_RATES,
                "lr_discriminator",
            ),
            "d_steps": _one_of(check_integer(d_steps, "d_steps"), D_STEPS, "d_steps"),
            "seed": _one_of(check_integer(seed, "seed"), SEEDS, "seed"),
            "step": check_integer(step, "step", low=0, high=STEPS),
        }
        self.progress = progress_bar(STEPS, "training")
        self.figure = ipw.HTML()
        self._key = None
        self.step = self._start["step"]
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look = control_look("11em", width="32em")
        sliders = slider_look("11em", width="32em")
        rate_options = [(f"{rate:g}", rate) for rate in LEARNING_RATES]
        return {
            "target": ipw.ToggleButtons(
                options=list(TARGETS),
                value=start["target"],
                description="target",
                style={**look["style"], "button_width": "8em"},
            ),
            "lr_generator": ipw.SelectionSlider(
                options=rate_options,
                value=start["lr_generator"],
                description="generator's rate",
                **sliders,
            ),
            "lr_discriminator": ipw.SelectionSlider(
                options=rate_options,
                value=start["lr_discriminator"],
                description="discriminator's rate",
                **sliders,
            ),
            "d_steps": ipw.ToggleButtons(
                options=list(D_STEPS),
                value=start["d_steps"],
                description="D steps per G step",
                style={**look["style"], "button_width": "4em"},
            ),
            "seed": ipw.IntSlider(
                value=start["seed"], min=SEEDS[0], max=SEEDS[-1], description="seed", **sliders
            ),
            "step": ipw.IntSlider(
                value=start["step"],
                min=0,
                max=STEPS,
                step=RECORD_EVERY,
                description="show step",
                **{**sliders, "continuous_update": True},
            ),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        key = (
            check_choice(c["target"], TARGETS, "target"),
            _one_of(
                check_number(c["lr_generator"], "lr_generator"), LEARNING_RATES, "lr_generator"
            ),
            _one_of(
                check_number(c["lr_discriminator"], "lr_discriminator"),
                LEARNING_RATES,
                "lr_discriminator",
            ),
            _one_of(check_integer(c["d_steps"], "d_steps"), D_STEPS, "d_steps"),
            _one_of(check_integer(c["seed"], "seed"), SEEDS, "seed"),
        )
        step = check_integer(c["step"], "step", low=0, high=STEPS)
        if key not in _RUNS:
            self.progress.description = "training"
            self.progress.value = 0

            def tick(done, total):
                self.progress.value = done

            gan_run(*key, callback=tick)
        self.progress.value, self.progress.description = STEPS, "trained"
        self._key, self.step = key, step

    @property
    def run(self):
        """The :class:`~widgets.engine.gan.GanRun` of the current setting."""
        return gan_run(*self._key)

    @property
    def index(self) -> int:
        """The record shown: the last at or before :attr:`step`."""
        return self.run.record_index(self.step)

    @property
    def shown_step(self) -> int:
        return int(self.run.record_steps[self.index])

    @property
    def coverage(self):
        """Share of the generated samples near each mode at the shown step."""
        return self.run.coverage[self.index]

    @property
    def n_covered(self) -> int:
        return modes_covered(self.coverage, MIN_SHARE)

    @property
    def diverged(self):
        return self.run.diverged

    def _losses_at(self):
        """Both losses averaged over the 25 steps up to the shown one (None at step 0)."""
        step = min(self.shown_step, self.run.n_steps)
        if step == 0:
            return None
        low = max(step - 25, 0)
        return self.run.d_loss[low:step].mean(), self.run.g_loss[low:step].mean()

    def _coverage_text(self) -> str:
        run = self.run
        parts = [
            f"{share:.0%} near {_mode_name(mean)}"
            for share, mean in zip(self.coverage, run.target.means)
        ]
        n = run.target.n_modes
        if n == 1:
            verdict = "mode covered" if self.n_covered else "mode missed"
        else:
            verdict = {0: "no mode covered", 1: "only one mode covered"}.get(
                self.n_covered, "both modes covered"
            )
        return f"{', '.join(parts)} ({verdict})"

    @property
    def status(self) -> str:
        run, i = self.run, self.index
        text = f"step {self.shown_step} of {STEPS}: generated samples {self._coverage_text()}"
        losses = self._losses_at()
        if losses is not None:
            text += (
                f"; losses (mean of last 25 steps) D {losses[0]:.2f}, G {losses[1]:.2f} "
                f"(equilibrium {EQUILIBRIUM_D_LOSS:.2f}, {EQUILIBRIUM_G_LOSS:.2f})"
            )
        text += (
            f"; D(x) from {run.d_curves[i].min():.2f} to {run.d_curves[i].max():.2f}; "
            f"distance to target {run.wasserstein[i]:.2f}"
        )
        if run.diverged:
            text = (
                f"diverged at step {run.diverged_step}: losses or weights stopped being "
                f"finite numbers; showing " + text
            )
        return text

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        blitted = _FIGURES.get(self._key)
        if blitted is None:
            blitted = _FIGURES[self._key] = _GanFigure(self.run)
            while len(_FIGURES) > 8:
                _FIGURES.popitem(last=False)
        else:
            _FIGURES.move_to_end(self._key)
        png = blitted.png(self.index)
        self.images = {"gan": png_img_tag(png, self._alt())}
        self.figure.value = self.images["gan"]

    def _alt(self) -> str:
        run, i = self.run, self.index
        modes = " and ".join(_mode_name(m) for m in run.target.means)
        clipped = " (its tallest bars are cut off at the top)" if _tallest(run, i) else ""
        losses = self._losses_at()
        loss_text = (
            f"at step {self.shown_step} they average {losses[0]:.2f} and {losses[1]:.2f}"
            if losses is not None
            else "a line marks step 0"
        )
        return (
            f"Three panels. Top: the target density, {run.target.n_modes} bump(s) at {modes}, "
            f"against the histogram of 1000 generated samples at step {self.shown_step}"
            f"{clipped}: {self._coverage_text()}, mean {run.generated_mean[i]:.2f}, "
            f"standard deviation {run.generated_std[i]:.2f}; the discriminator's D(x) (right "
            f"axis) runs from {run.d_curves[i].min():.2f} to {run.d_curves[i].max():.2f} "
            f"around the dotted line at 1/2. Bottom left: the discriminator's and generator's "
            f"losses over {run.n_steps} steps with their equilibrium values dashed; "
            f"{loss_text}. Bottom right: the share of generated samples near each mode "
            f"over the steps."
        )


def _density_ylim(run) -> float:
    """Top of the density axis: the tallest bar of the run, at most 2.5 × the target's
    peak and at least 1.6 × it (a generator that piles everything on one spike would
    otherwise flatten the target to nothing)."""
    peak = float(run.target.density(np.asarray(run.target.means)).max())
    return 1.05 * max(min(float(run.histograms.max()), 2.5 * peak), 1.6 * peak)


def _tallest(run, index) -> bool:
    """True if some bar of record ``index`` is cut off by :func:`_density_ylim`."""
    return bool(run.histograms[index].max() > _density_ylim(run))


class _GanFigure:
    """One run's three panels; the histogram, D(x) and the step markers move (blitted)."""

    def __init__(self, run):
        self.run = run
        figure = new_figure(6.8, 4.9)
        figure.subplots_adjust(
            left=0.09, right=0.91, top=0.92, bottom=0.10, hspace=0.55, wspace=0.32
        )
        grid = figure.add_gridspec(2, 2, height_ratios=[1.15, 1])
        dist = figure.add_subplot(grid[0, :])
        loss_ax = figure.add_subplot(grid[1, 0])
        cov_ax = figure.add_subplot(grid[1, 1])
        d_ax = dist.twinx()

        # top: the target, the generated histogram, D(x)
        x = np.linspace(run.bin_edges[0], run.bin_edges[-1], 400)
        dist.plot(x, run.target.density(x), color=NAVY, linewidth=2, label="target density")
        self.hist = dist.stairs(
            run.histograms[-1], run.bin_edges, fill=True, color=AMBER, alpha=0.55,
            label="generated",
        )  # fmt: skip
        dist.set_xlim(run.bin_edges[0], run.bin_edges[-1])
        dist.set_ylim(0, _density_ylim(run))
        dist.set_xlabel("x", fontsize=10, labelpad=1)
        dist.set_ylabel("density", fontsize=10)
        d_ax.axhline(0.5, color=GREY, linestyle=":", linewidth=1.2)
        (self.d_line,) = d_ax.plot(run.grid, run.d_curves[-1], color=RED, linewidth=1.8)
        d_ax.set_ylim(0, 1.02)
        d_ax.set_ylabel("D(x)", fontsize=10, color=RED)
        d_ax.tick_params(labelsize=9.5, colors=RED, axis="y")
        self.title = dist.text(
            1.0, 1.04, " ", transform=dist.transAxes, ha="right", va="bottom", fontsize=10
        )
        handles, labels = dist.get_legend_handles_labels()
        handles.append(self.d_line)
        labels.append("D(x), right axis")
        dist.legend(
            handles, labels, fontsize=9, loc="lower left", bbox_to_anchor=(0.0, 1.0),
            ncol=3, frameon=False, borderaxespad=0.2, handlelength=1.6,
        )  # fmt: skip

        # bottom left: the losses
        steps = np.arange(1, run.n_steps + 1)
        for values, colour, label in ((run.d_loss, TEAL, "D"), (run.g_loss, RED, "G")):
            loss_ax.plot(steps, values, color=colour, alpha=0.18, linewidth=0.8)
            loss_ax.plot(steps, smooth(values), color=colour, linewidth=1.6, label=f"{label} loss")
        loss_ax.axhline(EQUILIBRIUM_D_LOSS, color=TEAL, linestyle="--", linewidth=1)
        loss_ax.axhline(EQUILIBRIUM_G_LOSS, color=RED, linestyle="--", linewidth=1)
        highest = max(np.percentile(np.concatenate([run.d_loss, run.g_loss]), 99), 1.6)
        loss_ax.set_ylim(0, min(highest * 1.35, 7.0))
        loss_ax.set_xlim(0, STEPS)
        loss_ax.set_xlabel("step", fontsize=10, labelpad=1)
        loss_ax.set_title("losses (dashed: equilibrium)", fontsize=10)
        loss_ax.legend(fontsize=9, loc="upper right", frameon=False, ncol=2)

        # bottom right: the share near each mode
        colours = (NAVY, AMBER)
        for k, mean in enumerate(run.target.means):
            cov_ax.plot(
                run.record_steps, run.coverage[:, k], color=colours[k], linewidth=1.6,
                label=f"near {_mode_name(mean)}",
            )  # fmt: skip
        ideal = 0.954 * run.target.weights[0]
        cov_ax.axhline(ideal, color=GREY, linestyle="--", linewidth=1)
        cov_ax.set_ylim(0, 1.02)
        cov_ax.set_xlim(0, STEPS)
        cov_ax.set_xlabel("step", fontsize=10, labelpad=1)
        cov_ax.set_title("share of samples near each mode", fontsize=10)
        cov_ax.legend(fontsize=9, loc="upper right", frameon=False, ncol=2)
        for axes in (dist, loss_ax, cov_ax):
            axes.tick_params(labelsize=9.5)
        self.markers = [
            loss_ax.axvline(0, color=GREY, linewidth=1.2),
            cov_ax.axvline(0, color=GREY, linewidth=1.2),
        ]
        self.blitted = BlittedFigure(figure, [self.hist, self.d_line, self.title, *self.markers])

    def png(self, index) -> bytes:
        run = self.run
        step = int(run.record_steps[index])
        self.hist.set_data(run.histograms[index])
        self.d_line.set_ydata(run.d_curves[index])
        self.title.set_text(f"step {step}")
        for marker in self.markers:
            marker.set_xdata([step, step])
        return self.blitted.png()
