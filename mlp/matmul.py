"""Matrix products into preallocated buffers: the one place that picks how to multiply.

Backpropagation needs three products, and the fast path writes each into an
existing array so that the training loop allocates nothing:

    a @ w          forward pass (eq. 1.3.0)
    a.T @ delta    weight gradients (eq. 2.4.2)
    delta @ w.T    carrying the error back a layer (eq. 2.4.1)

With a BLAS (CPython's NumPy) ``np.dot(..., out=...)`` is fastest at every
size. Pyodide's NumPy has none: there ``np.dot`` is a plain loop, and for
large products ``np.einsum``'s vectorised kernels are about 2.5x faster
(measured in tests/benchmarks). Below about 32k multiply-adds einsum's
set-up cost wins, so small products stay with ``np.dot``.
"""

import sys

import numpy as np

NO_BLAS = sys.platform == "emscripten"
EINSUM_MIN_WORK = 32_768


def _product(a, b, out, dot_a, dot_b, spec):
    if NO_BLAS and a.shape[0] * a.shape[1] * out.shape[-1] >= EINSUM_MIN_WORK:
        return np.einsum(spec, a, b, out=out)
    return np.dot(dot_a, dot_b, out=out)


def matmul_into(a, b, out):
    """``out = a @ b``."""
    return _product(a, b, out, a, b, "ij,jk->ik")


def matmul_at_b_into(a, b, out):
    """``out = a.T @ b``, without copying ``a.T``."""
    return _product(a, b, out, a.T, b, "ij,ik->jk")


def matmul_a_bt_into(a, b, out):
    """``out = a @ b.T``, without copying ``b.T``."""
    return _product(a, b, out, a, b.T, "ik,jk->ij")
