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
    In the page, when the worker loaded the WebAssembly SIMD kernel
    (``web/wasm/matmul.wat``, assembled by ``build.py``): Pyodide's NumPy has
    no BLAS, and the kernel is several times faster than anything NumPy does
    there. The operands are copied into the kernel's own memory and the
    product copied out, which costs little next to the product itself; below
    :data:`KERNEL_MIN_WORK` multiply-adds that overhead wins, and NumPy multiplies.
``"numpy-einsum"``
    In the page without the kernel: ``np.dot`` is a plain loop there, and for
    large products ``np.einsum``'s vectorised loops are about 2.5x faster.
    Below :data:`EINSUM_MIN_WORK` multiply-adds einsum's set-up cost wins.

NumPy stays the reference: the kernel is tested against ``np.dot`` to 1e-12.
"""

import sys

import numpy as np

NO_BLAS = sys.platform == "emscripten"
EINSUM_MIN_WORK = 32_768
KERNEL_MIN_WORK = 16_384


class WasmKernel:
    """The page's WebAssembly SIMD matmul, called from Pyodide.

    Parameters
    ----------
    exports : JsProxy
        The kernel instance's exports: ``memory`` and
        ``matmul(a, b, c, m, k, n, a_row_step, a_col_step)`` (byte offsets,
        sizes, and A's element steps, so that A may be read transposed).
    """

    def __init__(self, exports):
        from js import Float64Array

        self._matmul = exports.matmul
        self._memory = exports.memory
        self._float64_array = Float64Array
        self._capacity = 0  # float64s the memory holds
        self._heap = None  # a Float64Array over all of it, remade when it grows

    def _reserve(self, n_doubles):
        """A Float64Array over the kernel's memory, grown first if it holds fewer than ``n_doubles``."""
        if n_doubles > self._capacity:
            missing = n_doubles * 8 - self._memory.buffer.byteLength
            if missing > 0:
                self._memory.grow(-(-missing // 65_536))  # whole 64 KiB pages
            self._heap = self._float64_array.new(self._memory.buffer)
            self._capacity = self._heap.length
        return self._heap

    def product(self, a, b, out, transpose_a=False):
        """``out = a @ b`` (or ``a.T @ b``); ``b`` is read row by row, so pass ``w.T`` contiguous."""
        a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
        m, n = out.shape
        k = b.shape[0]
        # Element offsets, each even, so every row of B and C starts 16-byte aligned when n is even.
        at_b = a.size + a.size % 2
        at_c = at_b + b.size + b.size % 2
        heap = self._reserve(at_c + out.size)
        heap.subarray(0, a.size).assign(a)
        heap.subarray(at_b, at_b + b.size).assign(b)
        a_row_step, a_col_step = (1, m) if transpose_a else (k, 1)
        self._matmul(0, 8 * at_b, 8 * at_c, m, k, n, a_row_step, a_col_step)
        result = heap.subarray(at_c, at_c + out.size)
        if out.flags.c_contiguous:
            result.assign_to(out)
        else:
            staged = np.empty(out.shape)
            result.assign_to(staged)
            out[...] = staged
        return out


def _find_kernel():
    """The kernel the page's worker loaded (``globalThis.mlpKernel``), or None: not in the page, or not loaded."""
    if not NO_BLAS:
        return None
    try:
        import js
    except ImportError:
        return None
    exports = getattr(js, "mlpKernel", None)
    return WasmKernel(exports) if exports else None


KERNEL = _find_kernel()
BACKEND = "wasm-simd" if KERNEL else "numpy-einsum" if NO_BLAS else "numpy-blas"
"""Which code multiplies here; the page's status shows it."""


def _numpy(a, b, out, dot_a, dot_b, spec):
    if NO_BLAS and a.shape[0] * a.shape[1] * out.shape[-1] >= EINSUM_MIN_WORK:
        return np.einsum(spec, a, b, out=out)
    return np.dot(dot_a, dot_b, out=out)


def _kernel_pays(a, out):
    return KERNEL is not None and a.shape[0] * a.shape[1] * out.shape[-1] >= KERNEL_MIN_WORK


def matmul_into(a, b, out):
    """``out = a @ b``."""
    if _kernel_pays(a, out):
        return KERNEL.product(a, b, out)
    return _numpy(a, b, out, a, b, "ij,jk->ik")


def matmul_at_b_into(a, b, out):
    """``out = a.T @ b``, without copying ``a.T``."""
    if _kernel_pays(a, out):
        return KERNEL.product(a, b, out, transpose_a=True)
    return _numpy(a, b, out, a.T, b, "ij,ik->jk")


def matmul_a_bt_into(a, b, out):
    """``out = a @ b.T``; with the kernel, ``b.T`` is copied (``b`` is a weight matrix, small)."""
    if _kernel_pays(a, out):
        return KERNEL.product(a, b.T, out)
    return _numpy(a, b, out, a, b.T, "ik,jk->ij")


def matmul(a, b):
    """``a @ b`` as a new array, by the same code as training: for forward passes over many samples."""
    return matmul_into(a, b, np.empty((a.shape[0], b.shape[1])))
