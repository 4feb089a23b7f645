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
  The targets of a whole chunk are gathered in one call, every batch writes
  its output-layer activations into the chunk's output array, and the loss
  of all the chunk's batches is computed at the end of the chunk in a few
  vectorised calls (:func:`widgets.engine.losses.batch_losses`), instead of
  a dozen small calls per batch. The numbers are the same: each batch's loss
  is still the mean over that batch, evaluated at the weights the batch saw.
"""

import numpy as np
import scipy.sparse as sp

from .losses import LOSS_TERMS_FOR_OUTPUT, batch_losses
from .regularizers import penalty

__all__ = ["MiniBatchTrainer", "batch_bounds"]

#: Rows per chunk (rounded down to whole batches, at least one batch). Small
#: enough that the chunk arrays cost little memory, large enough to amortise
#: the per-chunk calls.
CHUNK_ROWS = 256


def batch_bounds(n_samples, batch_size):
    """(start, stop) of each mini-batch, as ``sklearn.utils.gen_batches``."""
    return [(start, min(start + batch_size, n_samples))
            for start in range(0, n_samples, batch_size)]


class _Batch:
    """One mini-batch: its position, work arrays and views into its chunk."""

    __slots__ = ("start", "stop", "length", "workspace", "inputs", "masks",
                 "targets", "weights", "outputs", "index_in_chunk")
    # inputs: the batch's rows of X, a view fixed for the whole fit (into
    # X itself without shuffling, into the chunk's gather buffer with it).


class _Chunk:
    """Consecutive batches of equal length, with arrays shared by all chunks."""

    __slots__ = ("start", "stop", "batch_length", "batches", "inputs", "targets",
                 "boolean_targets", "weights", "outputs", "terms", "scratch",
                 "penalties", "losses")


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
        Factor on the reported data loss (see :meth:`Network.backprop`).
    hard_targets : bool
        Targets are 0/1 indicators (classification).
    """

    def __init__(self, network, optimizer, X, Y, sample_weight, batch_size, shuffle,
                 random_state, l1=0.0, l2=0.0, dropout=0.0, data_loss_scale=1.0,
                 hard_targets=False):
        self.network = network
        self.optimizer = optimizer
        self.X = X.tocsr() if sp.issparse(X) and shuffle else X
        self.Y = Y
        self.sample_weight = sample_weight
        self.n_samples = X.shape[0]
        self.shuffle = shuffle
        self.random_state = random_state
        self.l1, self.l2 = l1, l2
        self.keep_probability = 1.0 - dropout
        self.data_loss_scale = data_loss_scale
        self.hard_targets = hard_targets
        # Current order of the samples and a buffer to reorder it into.
        self._order = np.arange(self.n_samples)
        self._next_order = np.empty_like(self._order)

        # Losses of whole chunks at once need the allocation-free loss terms
        # (not available with sample weights, soft logistic targets or exp).
        terms = LOSS_TERMS_FOR_OUTPUT[network.output]
        vectorised = (terms is not None and sample_weight is None
                      and (hard_targets or network.output != "logistic"))
        self._loss_terms = terms if vectorised else None
        self._chunks = self._plan(batch_size, dropout)

    def _plan(self, batch_size, dropout):
        network, X, Y = self.network, self.X, self.Y
        dtype, n_outputs = network.dtype, network.n_outputs
        rows_per_chunk = batch_size * max(1, CHUNK_ROWS // batch_size)
        gather = self.shuffle
        dense = not sp.issparse(X)

        # Group batches into chunks of equal-length batches.
        groups = []
        for start, stop in batch_bounds(self.n_samples, batch_size):
            group = groups[-1] if groups else None
            if (group is None or group[-1][1] - group[-1][0] != stop - start
                    or stop - group[0][0] > rows_per_chunk):
                groups.append([(start, stop)])
            else:
                group.append((start, stop))

        # Arrays shared by all chunks (and by all batches of one length).
        max_rows = max(group[-1][1] - group[0][0] for group in groups)
        shared_inputs = (np.empty((max_rows, X.shape[1]), X.dtype)
                         if gather and dense else None)
        shared_targets = np.empty((max_rows, n_outputs), dtype)
        shared_boolean = (np.empty((max_rows, n_outputs), bool)
                          if Y.dtype == bool and gather else None)
        shared_weights = (np.empty(max_rows, self.sample_weight.dtype)
                          if self.sample_weight is not None else None)
        shared_outputs = np.empty((max_rows, n_outputs), dtype)
        shared_terms = np.empty((max_rows, n_outputs), dtype)
        shared_scratch = np.empty((max_rows, n_outputs), dtype)
        shared_penalties = np.zeros(max(len(group) for group in groups))
        shared_losses = np.zeros_like(shared_penalties)
        masks_by_length = {}

        chunks = []
        for group in groups:
            chunk = _Chunk()
            chunk.start, chunk.stop = group[0][0], group[-1][1]
            rows = chunk.stop - chunk.start
            chunk.batch_length = group[0][1] - group[0][0]
            chunk.inputs = None if shared_inputs is None else shared_inputs[:rows]
            chunk.targets = shared_targets[:rows]
            chunk.boolean_targets = None if shared_boolean is None else shared_boolean[:rows]
            chunk.weights = None if shared_weights is None else shared_weights[:rows]
            chunk.outputs = shared_outputs[:rows]
            chunk.terms = shared_terms[:rows]
            chunk.scratch = shared_scratch[:rows]
            chunk.penalties = shared_penalties[:len(group)]
            chunk.losses = shared_losses[:len(group)]
            chunk.batches = []
            for index, (start, stop) in enumerate(group):
                length = stop - start
                if length not in masks_by_length:
                    masks_by_length[length] = (
                        [np.empty((length, units), dtype)
                         for units in network.layer_sizes[1:-1]]
                        if self.keep_probability < 1.0 else None
                    )
                batch = _Batch()
                batch.start, batch.stop, batch.length = start, stop, length
                batch.index_in_chunk = index
                batch.workspace = network.workspace(length, self.keep_probability < 1.0)
                batch.masks = masks_by_length[length]
                offset = start - chunk.start
                if not gather:
                    batch.inputs = X[start:stop]
                elif dense:
                    batch.inputs = chunk.inputs[offset:offset + length]
                else:
                    batch.inputs = None  # sparse rows are gathered per batch
                batch.targets = chunk.targets[offset:offset + length]
                batch.weights = (None if chunk.weights is None
                                 else chunk.weights[offset:offset + length])
                batch.outputs = chunk.outputs[offset:offset + length]
                chunk.batches.append(batch)
            chunks.append(chunk)
        return chunks

    def run_epoch(self):
        """Train for one epoch; return the mean training loss over its batches.

        As in scikit-learn, the epoch's loss is ``sum_b loss_b * len_b / n``
        with ``loss_b`` the objective of batch ``b`` at the weights it saw.
        """
        network, X, Y, sample_weight = self.network, self.X, self.Y, self.sample_weight
        rng = self.random_state
        shuffle = self.shuffle
        dense = not sp.issparse(X)
        l1, l2 = self.l1, self.l2
        penalised = bool(l1 or l2)
        coef_flat = network._coef_flat
        grads = [network.grads]
        step = self.optimizer.step
        backprop = network.backprop
        loss_terms = self._loss_terms
        compute_batch_loss = loss_terms is None
        keep = self.keep_probability
        scale, hard = self.data_loss_scale, self.hard_targets

        if shuffle:
            # The permutation sklearn.utils.shuffle draws (arange(n) shuffled
            # in place by the random state), applied to the current order.
            permutation = rng.permutation(self.n_samples)
            np.take(self._order, permutation, out=self._next_order)
            self._order, self._next_order = self._next_order, self._order
        order = self._order

        accumulated_loss = 0.0
        for chunk in self._chunks:
            # Inputs, targets (and weights) of the whole chunk at once.
            if shuffle:
                rows = order[chunk.start:chunk.stop]
                if dense:
                    # mode="clip" skips the bounds-check buffering of "raise";
                    # the indices are valid by construction.
                    X.take(rows, axis=0, out=chunk.inputs, mode="clip")
                if chunk.boolean_targets is not None:
                    Y.take(rows, axis=0, out=chunk.boolean_targets, mode="clip")
                    np.copyto(chunk.targets, chunk.boolean_targets)
                else:
                    Y.take(rows, axis=0, out=chunk.targets, mode="clip")
                if sample_weight is not None:
                    sample_weight.take(rows, out=chunk.weights, mode="clip")
            else:
                np.copyto(chunk.targets, Y[chunk.start:chunk.stop])
                if sample_weight is not None:
                    np.copyto(chunk.weights, sample_weight[chunk.start:chunk.stop])

            for batch in chunk.batches:
                X_batch = batch.inputs
                if X_batch is None:
                    X_batch = X[order[batch.start:batch.stop]]
                masks = batch.masks
                if masks is not None:
                    for mask in masks:
                        kept = rng.random_sample(mask.shape) < keep
                        np.divide(kept, keep, out=mask)

                # The output layer writes into the chunk's output array.
                loss = backprop(X_batch, batch.targets, batch.workspace, l1, l2,
                                batch.weights, masks, scale, hard, compute_batch_loss,
                                batch.outputs)
                if compute_batch_loss:
                    chunk.losses[batch.index_in_chunk] = loss
                elif penalised:
                    # The penalty at the weights this batch saw (before the step).
                    chunk.penalties[batch.index_in_chunk] = penalty(coef_flat, l1, l2)
                step(grads)

            length = chunk.batch_length
            if not compute_batch_loss:
                terms_into, factor = loss_terms
                terms = terms_into(chunk.targets, chunk.outputs, chunk.terms, chunk.scratch)
                losses = batch_losses(terms, length, factor, out=chunk.losses)
                if scale != 1.0:
                    losses *= scale
                if penalised:
                    losses += chunk.penalties / length
            for loss in chunk.losses.tolist():
                accumulated_loss += loss * length
        return accumulated_loss / self.n_samples
