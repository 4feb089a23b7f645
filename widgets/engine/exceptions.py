"""Errors specific to the engine."""


class DivergenceError(ValueError):
    """Training diverged: the loss became NaN or infinite.

    Raised at the end of the first epoch whose loss is not finite; the
    message names that epoch. It is a ``ValueError`` so that code written for
    scikit-learn (which raises ``ValueError`` for non-finite weights) keeps
    working.

    Attributes
    ----------
    epoch : int
        The (1-based) epoch at which the loss stopped being finite.
    loss : float
        The offending loss value.
    """

    def __init__(self, message, epoch=None, loss=None):
        super().__init__(message)
        self.epoch = epoch
        self.loss = loss
