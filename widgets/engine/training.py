"""Epochs of mini-batch training, organised to keep Python overhead low.

:class:`MiniBatchTrainer` runs the inner loop of the estimators' stochastic
solvers. Each epoch it reshuffles the samples (with scikit-learn's exact
random-number use), cuts them into mini-batches exactly as
``sklearn.utils.gen_batches`` does, and for each batch runs one forward and
backward pass of the network and one optimizer step.

Why it is fast on small networks, where a batch costs microseconds and
scikit-learn spends most of its time in Python:

- every array a batch needs is allocated once per fit (work arrays per batch
  length, gather buffers, the network's flat gradient vector);
- batches are grouped into *chunks* of consecutive batches of equal length.
  The inputs and targets of a whole chunk are gathered in one call each,
  every batch writes its output-layer activations into the chunk's output
  array, and the loss of all the chunk's batches is computed at the end of
  the chunk in a few vectorised calls
  (:func:`widgets.engine.losses.batch_losses`) instead of a dozen small calls
  per batch. The numbers are the same: each batch's loss is still the mean
  over that batch, evaluated at the weights the batch saw.
- the passes run through :class:`widgets.engine._fast.FastPath` (the
  readable network's arithmetic, with preallocated arrays); in the common
  case (dense inputs, no dropout, sample weights or l1) each batch runs its
  :meth:`~widgets.engine._fast.FastPath.training_pass` and the optimizer's
  :meth:`~widgets.engine.optimizers.Optimizer.stepper`, which do the same
  NumPy operations as ``backprop`` and ``step`` with their arrays looked up
  once, so the same numbers with less Python per batch.

All chunks of the same shape share one :class:`_ChunkLayout` (its arrays and
views), so the bookkeeping does not grow with the number of samples.
"""

import numpy as np
import scipy.sparse as sp

from ._fast import FastPath
from .losses import LOSS_TERMS_FOR_OUTPUT, batch_losses
from .regularizers import l1_pseudo_gradient, penalty, project_onto_orthant

__all__ = ["MiniBatchTrainer", "batch_bounds"]

_dot = np.ndarray.dot  # np.dot without the __array_function__ dispatch

#: Rows per chunk (rounded down to whole batches, at least one batch). Small
#: enough that the chunk arrays cost little memory, large enough to amortise
#: the per-chunk calls.
CHUNK_ROWS = 256


def batch_bounds(n_samples, batch_size):
    """(start, stop) of each mini-batch, as ``sklearn.utils.gen_batches``."""
    return [
        (start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)
    ]


class _ChunkLayout:
    """Arrays for a chunk of ``n_batches`` batches of ``batch_length`` rows.

    Attributes
    ----------
    inputs, targets, outputs, terms, scratch, weights : ndarray or None
        Chunk-wide arrays (views of buffers shared by all layouts).
    offsets : list of int
        First row of each batch within the chunk (its views of the chunk
        arrays are sliced when needed: storing them would cost more memory
        than the whole fit does on small data).
    workspace, masks
        The network's work arrays and the dropout masks for one batch.
    train_batch : callable or None
        ``FastPath.training_pass`` for the workspace, when the trainer can
        use it (see :meth:`MiniBatchTrainer._train_chunk`); layouts of the
        same batch length share it.
    penalties, losses : ndarray of shape (n_batches,)
    """

    def __init__(self, trainer, shared, n_batches, batch_length):
        network = trainer.network
        rows = n_batches * batch_length
        self.batch_length = batch_length
        self.rows = rows
        view = lambda array: None if array is None else array[:rows]  # noqa: E731
        self.inputs = view(shared["inputs"])
        self.targets = view(shared["targets"])
        self.boolean_targets = view(shared["boolean_targets"])
        self.weights = view(shared["weights"])
        self.outputs = view(shared["outputs"])
        self.terms = view(shared["terms"])
        self.scratch = view(shared["scratch"])
        self.penalties = np.zeros(n_batches)
        self.losses = np.zeros(n_batches)

        with_dropout = trainer.keep_probability < 1.0
        self.workspace = trainer.fast.workspace(batch_length, with_dropout)
        self.masks = (
            [np.empty((batch_length, units), network.dtype) for units in network.layer_sizes[1:-1]]
            if with_dropout
            else None
        )
        self.offsets = list(range(0, rows, batch_length))
        self.train_batch = None  # set by MiniBatchTrainer._plan


class MiniBatchTrainer:
    """Train a network on fixed data, one epoch per :meth:`run_epoch` call.

    Parameters
    ----------
    network : Network
        The model; its ``params`` are updated in place.
    optimizer : Optimizer
        Built on ``[network.params]``; stepped with ``[network.grads]``.
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Training inputs, in the network's dtype.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets: booleans (class indicators) or the network's float dtype.
    sample_weight : ndarray of shape (n_samples,) or None
    batch_size : int
        Between 1 and n_samples.
    shuffle : bool
        Reshuffle the samples before each epoch.
    random_state : numpy.random.RandomState
        Used for shuffling and dropout masks, in that order per epoch.
    l1, l2 : float
        Penalty strengths.
    dropout : float
        Probability of dropping a hidden unit (inverted dropout).
    data_loss_scale : float
        Factor on the reported data loss (see :meth:`FastPath.backprop`).
    hard_targets : bool
        Targets are 0/1 indicators (classification).
    """

    def __init__(
        self,
        network,
        optimizer,
        X,
        Y,
        sample_weight,
        batch_size,
        shuffle,
        random_state,
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        data_loss_scale=1.0,
        hard_targets=False,
    ):
        self.network = network
        self.fast = FastPath(network)
        self.optimizer = optimizer
        self.X = X.tocsr() if sp.issparse(X) else X
        self.Y = Y
        self.sample_weight = sample_weight
        self.n_samples = X.shape[0]
        self.shuffle = shuffle
        self.random_state = random_state
        self.l1, self.l2 = l1, l2
        self.keep_probability = 1.0 - dropout
        self.data_loss_scale = data_loss_scale
        self.hard_targets = hard_targets
        # Current order of the samples (reshuffled each epoch). Stored as
        # int32 when that holds every index: half the memory of intp, which
        # counts on small data, and RandomState.shuffle makes the same swaps
        # whatever the dtype. Each chunk's indices are converted to intp
        # before gathering (see run_epoch).
        index_dtype = np.int32 if self.n_samples <= np.iinfo(np.int32).max else np.intp
        self._order = np.arange(self.n_samples, dtype=index_dtype)

        # Losses of whole chunks at once need the allocation-free loss terms
        # (not available with sample weights, soft logistic targets or exp).
        terms = LOSS_TERMS_FOR_OUTPUT[network.output]
        vectorised = (
            terms is not None
            and sample_weight is None
            and (hard_targets or network.output != "logistic")
        )
        self._loss_terms = terms if vectorised else None
        # The common case trains each batch with FastPath.training_pass: dense
        # inputs, no dropout, no sample weights, no l1, losses per chunk.
        self._lean = (
            not sp.issparse(self.X)
            and dropout == 0.0
            and sample_weight is None
            and vectorised
            and not l1
        )
        self._chunks = self._plan(batch_size)

    def _plan(self, batch_size):
        """Return ``[(start, stop, layout), ...]`` covering the samples in order."""
        X, Y, dtype = self.X, self.Y, self.network.dtype
        n_outputs = self.network.n_outputs
        # At most a quarter of the data per chunk, so that the chunk arrays
        # stay small next to the data itself.
        batches_per_chunk = max(1, min(CHUNK_ROWS, self.n_samples // 4) // batch_size)
        n_full = self.n_samples // batch_size
        remainder = self.n_samples - n_full * batch_size
        # As few chunks as that allows, as even as possible (50 batches in
        # chunks of at most 12 make 5 chunks of 10, not 12+12+12+12+2): the
        # same number of chunks, with smaller chunk arrays.
        n_chunks = -(-n_full // batches_per_chunk)
        chunk_batches = [
            n_full // n_chunks + (index < n_full % n_chunks) for index in range(n_chunks)
        ]
        max_rows = max(chunk_batches, default=0) * batch_size
        max_rows = max(max_rows, remainder)

        shared = {
            "inputs": (np.empty((max_rows, X.shape[1]), X.dtype) if not sp.issparse(X) else None),
            "targets": np.empty((max_rows, n_outputs), dtype),
            "boolean_targets": (np.empty((max_rows, n_outputs), bool) if Y.dtype == bool else None),
            "weights": (
                np.empty(max_rows, self.sample_weight.dtype)
                if self.sample_weight is not None
                else None
            ),
            "outputs": np.empty((max_rows, n_outputs), dtype),
            "terms": np.empty((max_rows, n_outputs), dtype),
            "scratch": np.empty((max_rows, n_outputs), dtype),
        }
        layouts = {}
        training_passes = {}  # one per batch length (per workspace)

        def layout(n_batches, length):
            if (n_batches, length) not in layouts:
                new = _ChunkLayout(self, shared, n_batches, length)
                if self._lean:
                    if length not in training_passes:
                        training_passes[length] = self.fast.training_pass(new.workspace, self.l2)
                    new.train_batch = training_passes[length]
                layouts[n_batches, length] = new
            return layouts[n_batches, length]

        chunks = []
        start = 0
        for n_batches in chunk_batches:
            stop = start + n_batches * batch_size
            chunks.append((start, stop, layout(n_batches, batch_size)))
            start = stop
        if remainder:
            chunks.append((n_full * batch_size, self.n_samples, layout(1, remainder)))
        return chunks

    def run_epoch(self):
        """Train for one epoch; return the mean training loss over its batches.

        As in scikit-learn, the epoch's loss is ``sum_b loss_b * len_b / n``
        with ``loss_b`` the objective of batch ``b`` at the weights it saw.
        """
        network = self.network
        rng = self.random_state
        shuffle = self.shuffle
        l1, l2 = self.l1, self.l2
        penalised = bool(l1 or l2)
        half_l2 = 0.5 * l2  # penalty = (0.5 * l2) * sum(W**2), as in scikit-learn
        coef_flat = network.coef_values
        if l1:
            # L1 with exact zeros (see widgets.engine.regularizers): the orthant
            # of every weight before each step, and the weights' gradient.
            orthant = np.empty_like(coef_flat)
            coef_grad_flat = network.grads[: coef_flat.size]
        # A fresh stepper each epoch: it may cache state derived from the
        # optimizer's (see SGD.stepper), which must not go stale if anything
        # touches the optimizer between epochs.
        step = self.optimizer.stepper([network.grads])  # same arrays every time
        backprop = self.fast.backprop
        loss_terms = self._loss_terms
        compute_batch_loss = loss_terms is None
        keep = self.keep_probability
        scale, hard = self.data_loss_scale, self.hard_targets

        if shuffle:
            # scikit-learn reorders the sample indices by the permutation that
            # RandomState.shuffle makes of arange(n). Shuffling the indices
            # themselves in place makes the same swaps (they depend only on
            # the random draws), so it gives the same order without copies.
            rng.shuffle(self._order)
        order = self._order

        accumulated_loss = 0.0
        for start, stop, chunk in self._chunks:
            # (One conversion to intp here, instead of one in each take().)
            rows = order[start:stop].astype(np.intp) if shuffle else slice(start, stop)
            chunk_X = self._gather(chunk, rows)
            length = chunk.batch_length
            if chunk.train_batch is not None:
                penalties = self._train_chunk(chunk, step, penalised, half_l2)
            else:
                penalties = []
                workspace, masks = chunk.workspace, chunk.masks
                inputs, targets, outputs, weights = (
                    chunk.inputs,
                    chunk.targets,
                    chunk.outputs,
                    chunk.weights,
                )
                if chunk_X is not None:
                    inputs = chunk_X
                for offset in chunk.offsets:
                    end = offset + length
                    if masks is not None:
                        for mask in masks:
                            kept = rng.random_sample(mask.shape) < keep
                            np.divide(kept, keep, out=mask)
                    # The output layer writes into the chunk's output array.
                    loss = backprop(
                        inputs[offset:end],
                        targets[offset:end],
                        workspace,
                        l1,
                        l2,
                        None if weights is None else weights[offset:end],
                        masks,
                        scale,
                        hard,
                        compute_batch_loss,
                        outputs[offset:end],
                    )
                    if compute_batch_loss:
                        penalties.append(loss)  # the whole batch loss, penalty included
                    elif penalised:
                        # The penalty at the weights this batch saw (before the step).
                        penalties.append(
                            penalty(coef_flat, l1, l2)
                            if l1
                            else half_l2 * _dot(coef_flat, coef_flat)
                        )
                    if l1:
                        n = length if weights is None else weights[offset:end].sum()
                        l1_pseudo_gradient(coef_flat, coef_grad_flat, l1 / n, orthant)
                        step()
                        project_onto_orthant(coef_flat, orthant)
                    else:
                        step()

            if compute_batch_loss:
                losses = penalties
            else:
                terms_into, factor = loss_terms
                terms = terms_into(chunk.targets, chunk.outputs, chunk.terms, chunk.scratch)
                losses = batch_losses(terms, length, factor, out=chunk.losses)
                if scale != 1.0:
                    losses *= scale
                if penalised:
                    np.copyto(chunk.penalties, penalties)
                    losses += chunk.penalties / length
                losses = losses.tolist()
            for loss in losses:
                accumulated_loss += loss * length
        return accumulated_loss / self.n_samples

    def _gather(self, chunk, rows):
        """Copy the inputs, targets (and weights) of a chunk's ``rows`` at once.

        Returns the chunk's rows of a sparse ``X`` (None for dense ``X``,
        whose rows go to ``chunk.inputs``).
        """
        X, Y, sample_weight, shuffle = self.X, self.Y, self.sample_weight, self.shuffle
        chunk_X = None
        if sp.issparse(X):
            chunk_X = X[rows]
        elif shuffle:
            # mode="clip" skips the bounds-check buffering of "raise"; the
            # indices are valid by construction.
            X.take(rows, axis=0, out=chunk.inputs, mode="clip")
        else:
            np.copyto(chunk.inputs, X[rows])
        if chunk.boolean_targets is not None:
            if shuffle:
                Y.take(rows, axis=0, out=chunk.boolean_targets, mode="clip")
                np.copyto(chunk.targets, chunk.boolean_targets)
            else:
                np.copyto(chunk.targets, Y[rows])
        elif shuffle:
            Y.take(rows, axis=0, out=chunk.targets, mode="clip")
        else:
            np.copyto(chunk.targets, Y[rows])
        if sample_weight is not None:
            np.copyto(chunk.weights, sample_weight[rows])
        return chunk_X

    def _train_chunk(self, chunk, step, penalised, half_l2):
        """Train on a chunk's batches with ``chunk.train_batch``; return the penalties.

        The common case's loop (see :meth:`FastPath.training_pass`): each
        batch's inputs, targets and outputs are the items of the chunk arrays
        seen as ``(n_batches, batch_length, columns)``, which NumPy hands out
        faster than slices; the penalty of each batch is taken at the weights
        it saw, before the step, as in the general loop.
        """
        train_batch = chunk.train_batch
        coef_flat = self.network.coef_values
        shape = (len(chunk.offsets), chunk.batch_length, -1)
        batches = zip(
            chunk.inputs.reshape(shape), chunk.targets.reshape(shape), chunk.outputs.reshape(shape)
        )
        penalties = []
        if penalised:
            record = penalties.append
            for inputs, targets, outputs in batches:
                train_batch(inputs, targets, outputs)
                record(half_l2 * _dot(coef_flat, coef_flat))
                step()
        else:
            for inputs, targets, outputs in batches:
                train_batch(inputs, targets, outputs)
                step()
        return penalties
