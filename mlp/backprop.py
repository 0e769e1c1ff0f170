"""The backprop a trainer runs: one contract, three values.

A :class:`~mlp.training.Trainer` takes the backprop it runs as a parameter
(``Trainer(..., backprop=...)``) and calls it once per batch::

    steps = backprop(network, batch, loss, l2, factor)

It returns ``factor`` times the gradient of the batch-mean loss (eq. 2.4.2
and 2.4.3, with ``l2`` weight decay), as a list in the order of
``network.parameters()``: dJ/dw for each layer, then dJ/db. ``factor`` is 1
for an optimizer that keeps state (it takes gradients), and
``-learning_rate`` for plain SGD, whose step is then the value itself
(:attr:`mlp.optimizers.Optimizer.step_factor`). ``batch`` holds the batch's
rows as the network takes them (``batch.x``: scaled, features computed;
``batch.y``: targets in the network's precision) and, on request, as they
came (``batch.raw()``).

The three values:

- :class:`Buffered` (the default): the fast path, :class:`mlp.workspace.Workspace`,
  the same equations in preallocated buffers;
- ``Readable()``: the readable :meth:`mlp.network.Network.backprop`, one line
  per equation of the post;
- ``Readable(function)``: a learner's edit of it (:mod:`mlp.usercode`), any
  function with ``Network.backprop``'s signature.

All three give the same numbers to 1e-12 (``tests/test_training.py``).
"""

from .workspace import Workspace


class Batch:
    """One batch, as a backprop sees it.

    Attributes
    ----------
    x : ndarray of shape (batch_size, n_inputs)
        The inputs as the network's first layer takes them (:meth:`Network.prepare_inputs`).
    y : ndarray of shape (batch_size, n_outputs)
        The targets, in the network's precision.
    raw : callable
        Returns the inputs as they came, for a backprop that prepares them itself.
    """

    __slots__ = ("x", "y", "raw")

    def __init__(self, x, y, raw):
        self.x, self.y, self.raw = x, y, raw


class Buffered:
    """The fast path: :meth:`Workspace.backprop`, with one workspace per batch size, made on first use."""

    def __init__(self):
        self._workspaces = {}

    def __call__(self, network, batch, loss, l2, factor):
        size = len(batch.x)
        workspace = self._workspaces.get(size)
        if workspace is None or workspace.network is not network:
            workspace = self._workspaces[size] = Workspace(network, size)
        workspace.backprop(batch.x, batch.y, loss, l2, factor=factor)
        return workspace.grads


class Readable:
    """A function with :meth:`Network.backprop`'s signature, as a trainer's backprop.

    Parameters
    ----------
    function : callable, optional
        ``function(network, x, y, loss, l2) -> (grad_w, grad_b)`` on the raw
        inputs; by default the network's own :meth:`~mlp.network.Network.backprop`.
    """

    def __init__(self, function=None):
        self.function = function

    def gradients(self, network, x, y, loss, l2=0.0):
        """``(grad_w, grad_b)`` for raw inputs ``x``: what the function returns."""
        if self.function is None:
            return network.backprop(x, y, loss, l2)
        return self.function(network, x, y, loss, l2)

    def __call__(self, network, batch, loss, l2, factor):
        grad_w, grad_b = self.gradients(network, batch.raw(), batch.y, loss, l2)
        grads = [*grad_w, *grad_b]
        return grads if factor == 1 else [factor * g for g in grads]
