"""The fast path: backpropagation in preallocated buffers, which training runs.

:meth:`mlp.network.Network.backprop` is the readable version, one line per
equation of the post. This module computes the same numbers (tested to 1e-12
for every activation x loss pair, with and without L2) with three changes
that matter in a loop run thousands of times:

- every z, a, delta and gradient lives in a buffer allocated once per batch
  size, and the products write into it (:mod:`mlp.matmul`);
- the batch mean of eq. 2.4.2-2.4.3 is folded into the output delta: every
  gradient is linear in it, so scaling delta_L by ``factor / n_samples``
  once scales all of them, and dJ/db becomes a plain sum over the batch;
- with ``factor = -learning_rate`` the "gradients" are plain SGD's steps, so
  the update is one addition (see :attr:`mlp.optimizers.Optimizer.step_factor`).

Each activation adds the bias and applies itself (``with_bias``), and
multiplies delta by its derivative in place (``backward_in_place``): in the
page, ReLU does both in the WebAssembly kernel (:mod:`mlp.kernel`), with
NumPy's bits, and the loop below does not need to know.
"""

import numpy as np

from .matmul import matmul_a_bt_into, matmul_at_b_into, matmul_into


class Workspace:
    """Preallocated arrays for forward and backward passes at one batch size.

    Parameters
    ----------
    network : Network
    batch_size : int

    Attributes
    ----------
    grad_w, grad_b : list of ndarray
        Filled by :meth:`backprop`; same shapes as the network's weights and biases.
    grads : list of ndarray
        ``grad_w + grad_b``, in the order of :meth:`Network.parameters`.
    """

    def __init__(self, network, batch_size):
        dims = network.dimensions
        self.network = network
        self.batch_size = batch_size
        dtype = network.dtype
        self.a = [None] + [np.empty((batch_size, d), dtype) for d in dims[1:]]
        self.z = [np.empty((batch_size, d), dtype) for d in dims[1:]]
        self.delta = [np.empty((batch_size, d), dtype) for d in dims[1:]]
        self.grad_w = [np.empty_like(w) for w in network.weights]
        self.grad_b = [np.empty_like(b) for b in network.biases]
        self.grads = self.grad_w + self.grad_b

    def backprop(self, x, y, loss, l2=0.0, factor=1.0):
        """Fill :attr:`grads` with ``factor`` times the gradient for the batch ``(x, y)``.

        Parameters
        ----------
        x : ndarray of shape (batch_size, n_features)
            Already validated and scaled (:meth:`Network.prepare_inputs`).
        y : ndarray of shape (batch_size, n_outputs)
            Validated targets.
        loss : Loss
        l2 : float, default=0.0
            Weight decay, as in :meth:`Network.backprop`.
        factor : float, default=1.0
            1 gives the gradients; ``-learning_rate`` gives plain SGD's steps.
        """
        net = self.network
        a, z, delta = self.a, self.z, self.delta
        a[0] = x
        for n, (w, b, f) in enumerate(zip(net.weights, net.biases, net.activations, strict=True)):
            matmul_into(a[n], w, z[n])  # eq. 1.3.0, a w
            f.with_bias(z[n], b, out=a[n + 1])  # eq. 1.3.0's + b, then eq. 1.3.1

        m = len(x)
        loss.delta(y, a[-1], z[-1], out=delta[-1])  # eq. 2.4.0
        delta[-1] *= factor / m  # the batch mean and the factor, for every gradient below
        for n in range(len(net.weights) - 1, -1, -1):
            matmul_at_b_into(a[n], delta[n], self.grad_w[n])  # eq. 2.4.2
            delta[n].sum(axis=0, out=self.grad_b[n])  # eq. 2.4.3
            if n > 0:  # eq. 2.4.1
                matmul_a_bt_into(delta[n], net.weights[n], delta[n - 1])
                net.activations[n - 1].backward_in_place(delta[n - 1], z[n - 1], a[n])

        if loss.sums_weight_gradients:  # the post's published code: dJ/dw summed, not averaged
            for g in self.grad_w:
                g *= m
        if l2:
            for g, w in zip(self.grad_w, net.weights, strict=True):
                g += (l2 * factor) * w
