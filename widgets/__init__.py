"""Neural Net Odds and Ends: the course's explorers, quizzes and engine.

``widgets.engine`` is the small NumPy network library every chapter computes with;
each explorer lives in ``widgets.explorers``. Explorers are imported lazily,
so ``import widgets.engine`` does not pull in ipywidgets or matplotlib.
"""

from importlib import import_module

# public name -> module that defines it
_EXPLORERS = {
    "DescentExplorer": "widgets.explorers.descent",
    "Playground": "widgets.explorers.playground",
    "InitExplorer": "widgets.explorers.initialization",
    "SoftmaxExplorer": "widgets.explorers.outputs",
    "WidthSweepExplorer": "widgets.explorers.network_size",
    "CrossEntropyExplorer": "widgets.explorers.outputs",
    "PairingExplorer": "widgets.explorers.outputs",
    "EarlyStoppingExplorer": "widgets.explorers.stopping",
    "DropoutExplorer": "widgets.explorers.stopping",
    "RegularizationExplorer": "widgets.explorers.regularization",
    "RestartsExplorer": "widgets.explorers.training_issues",
    "GradientFlowExplorer": "widgets.explorers.training_issues",
    "ActivationExplorer": "widgets.explorers.activations_batches",
    "LearningRateExplorer": "widgets.explorers.activations_batches",
    "BatchSizeExplorer": "widgets.explorers.activations_batches",
    "OptimizerRace": "widgets.explorers.optimizers",
    "GridSearchExplorer": "widgets.explorers.hyperparameters",
    "ConvolutionExplorer": "widgets.explorers.beyond_mlps.convolution",
    "RecurrentExplorer": "widgets.explorers.beyond_mlps.recurrent",
    "AttentionExplorer": "widgets.explorers.beyond_mlps.attention",
    "AutoencoderExplorer": "widgets.explorers.beyond_mlps.autoencoder",
    "GanExplorer": "widgets.explorers.beyond_mlps.gan",
    "DiagnoseExplorer": "widgets.explorers.review",
    "check_challenge": "widgets.explorers.playground.challenges",
    "show_quiz": "widgets.course.quiz",
}

__all__ = sorted(_EXPLORERS)


def __getattr__(name):
    if name in _EXPLORERS:
        return getattr(import_module(_EXPLORERS[name]), name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


def explorer_classes() -> dict:
    """Name → class of every explorer in ``__all__`` (the Explorer subclasses listed there).

    The generic test (``tests/explorers/test_every_explorer.py``) drives each of them;
    listing a new explorer above is all it takes to be covered.
    """
    from widgets.display import Explorer

    found = {}
    for name in __all__:
        value = __getattr__(name)
        if isinstance(value, type) and issubclass(value, Explorer):
            found[name] = value
    return found
