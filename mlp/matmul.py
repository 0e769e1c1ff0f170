"""Matrix products into preallocated buffers: the one place that picks how to multiply.

Backpropagation needs three products, and the fast path writes each into an
existing array so that the training loop allocates nothing:

    a @ w          forward pass (eq. 1.3.0)
    a.T @ delta    weight gradients (eq. 2.4.2)
    delta @ w.T    carrying the error back a layer (eq. 2.4.1)

Which code multiplies (:data:`BACKEND`):

``"numpy-blas"``
    CPython's NumPy: ``np.dot(..., out=...)`` calls its BLAS, fastest at every size.
``"wasm-simd"``
    In the page, when the worker gave Python the WebAssembly SIMD kernel
    (:mod:`mlp.kernel`): Pyodide's NumPy has no BLAS, and the kernel, which
    works on NumPy's arrays in place, is several times faster than anything
    NumPy does there. Below :data:`KERNEL_MIN_WORK` multiply-adds NumPy is
    as fast, and multiplies.
``"wasm-simd-fma"``
    The same with fused multiply-adds (the kernel's relaxed-SIMD build, on a
    CPU with FMA): about 25 % faster on the large products, rounded once per
    step instead of twice.
``"numpy-einsum"``
    In the page without the kernel: ``np.dot`` is a plain loop there, and for
    large products ``np.einsum``'s vectorised loops are about 2.5x faster.
    Below :data:`EINSUM_MIN_WORK` multiply-adds einsum's set-up cost wins.

NumPy stays the reference: the kernel is tested against ``np.dot`` to 1e-12.
"""

import sys

import numpy as np

from .kernel import DTYPES, KERNEL, fits

NO_BLAS = sys.platform == "emscripten"
EINSUM_MIN_WORK = 32_768
KERNEL_MIN_WORK = 4_096

BACKEND = ("wasm-simd-fma" if KERNEL.fused else "wasm-simd") if KERNEL else "numpy-einsum" if NO_BLAS else "numpy-blas"
"""Which code multiplies here; the page's status shows it."""


def _numpy(a, b, out, dot_a, dot_b, spec):
    if NO_BLAS and a.shape[0] * a.shape[1] * out.shape[-1] >= EINSUM_MIN_WORK:
        return np.einsum(spec, a, b, out=out)
    return np.dot(dot_a, dot_b, out=out)


def _kernel_pays(a, out):
    return KERNEL is not None and out.dtype in DTYPES and a.shape[0] * a.shape[1] * out.shape[-1] >= KERNEL_MIN_WORK


def _kernel(a, b, out, transpose_a=False):
    """The kernel's product, with copies of whatever it cannot read in place."""
    if fits(a, b, out):  # training's buffers: no copy
        return KERNEL.matmul(a, b, out, transpose_a)
    a, b = np.ascontiguousarray(a, dtype=out.dtype), np.ascontiguousarray(b, dtype=out.dtype)
    if fits(out):
        return KERNEL.matmul(a, b, out, transpose_a)
    out[...] = KERNEL.matmul(a, b, np.empty(out.shape, dtype=out.dtype), transpose_a)
    return out


def matmul_into(a, b, out):
    """``out = a @ b``."""
    if _kernel_pays(a, out):
        return _kernel(a, b, out)
    return _numpy(a, b, out, a, b, "ij,jk->ik")


def matmul_at_b_into(a, b, out):
    """``out = a.T @ b``, without copying ``a.T``."""
    if _kernel_pays(a, out):
        return _kernel(a, b, out, transpose_a=True)
    return _numpy(a, b, out, a.T, b, "ij,ik->jk")


def matmul_a_bt_into(a, b, out):
    """``out = a @ b.T``; with the kernel, ``b.T`` is copied (``b`` is a weight matrix, small)."""
    if _kernel_pays(a, out):
        return _kernel(a, b.T, out)
    return _numpy(a, b, out, a, b.T, "ik,jk->ij")


def matmul(a, b):
    """``a @ b`` as a new array, by the same code as training: for forward passes over many samples."""
    return matmul_into(a, b, np.empty((a.shape[0], b.shape[1]), dtype=np.result_type(a, b)))
