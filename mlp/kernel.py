"""The page's WebAssembly SIMD kernel: the hot loops of training, on NumPy's own arrays.

In the page, Pyodide's NumPy has no BLAS and no SIMD. The worker writes the
kernel (``web/wasm/kernel.wat``, assembled by ``build.py`` as a Pyodide shared
library) into Pyodide's file system and names it in the environment variable
``MLP_KERNEL``; :func:`load` opens it with :class:`ctypes.CDLL`, as any shared
library. Its functions read and write NumPy's arrays in place, by address, so
nothing is copied and a call costs about as much as a NumPy ufunc's. Each
exists in float64 and in float32 (the ``precision`` setting).

:data:`KERNEL` is the loaded kernel, or None (CPython, the page with
``?kernel=off``, a browser without WebAssembly SIMD): the callers
(:mod:`mlp.matmul`, :mod:`mlp.workspace`, :class:`mlp.optimizers.Adam`) then
use NumPy, which stays the reference. ``tests/test_kernel.py`` checks every
function against it: the element-wise ones to the bit, the products to 1e-12.
"""

import os
import sys
import weakref

import numpy as np

ENV_VAR = "MLP_KERNEL"
"""The environment variable that names the kernel's file, set by the page's worker."""

DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
"""The dtypes the kernel has functions for (float32's carry the suffix ``_f32``)."""

_addresses = {}  # id(array) -> (weak reference to it, address of its data or None, dtype's character)


def _remember(array):
    """Look up what the kernel needs of ``array`` (see :func:`_addresses_of`) and keep it while the array lives.

    The address is a wasm32 pointer, kept as the signed 32-bit int with its
    bits (what ctypes passes for a Python int); None if the kernel cannot
    read the array in place. An entry is dropped when its array is freed,
    before its id can be reused.
    """
    key = id(array)
    address = None
    if array.dtype in DTYPES and array.flags.c_contiguous:
        address = array.__array_interface__["data"][0]
        address = address - (1 << 32) if address >= 1 << 31 else address
    known = (weakref.ref(array, lambda _, key=key: _addresses.pop(key, None)), address, array.dtype.char)
    _addresses[key] = known
    return known


def _addresses_of(*arrays):
    """The addresses of the arrays' data, or None unless the kernel can use them together: C-contiguous, all
    float64 or all float32.

    Training passes the same buffers thousands of times, and asking NumPy
    (``__array_interface__``, ``flags``) costs more than the kernel's call
    itself, so the answers are remembered while each array lives. While an
    array lives its data does not move and its dtype and layout do not
    change: mlp never calls ``ndarray.resize`` or assigns ``dtype`` or
    ``strides``.
    """
    at, kind = [], None
    for array in arrays:
        known = _addresses.get(id(array))
        if known is None or known[0]() is not array:
            known = _remember(array)
        if known[1] is None or (kind is not None and known[2] != kind):
            return None
        at.append(known[1])
        kind = known[2]
    return at


def fits(*arrays):
    """Whether the kernel can work on these arrays in place: C-contiguous, all float64 or all float32."""
    return _addresses_of(*arrays) is not None


class Kernel:
    """The kernel's functions, for each precision.

    Every method checks shapes and layouts before it passes an address:
    the kernel trusts what it is given, and a wrong size would write past an
    array.

    Parameters
    ----------
    library : ctypes.CDLL
        The opened kernel.

    Attributes
    ----------
    fused : bool
        Whether its products round once per multiply-add (the worker loaded
        the build with relaxed SIMD's fused multiply-add and the CPU does it
        in one step), measured by :meth:`rounds_once`.
    """

    def __init__(self, library):
        # The C signatures, for reading: every argument is a wasm i32 (pointers and sizes) but Adam's six
        # coefficients, which are f64, and nothing is returned:
        #   matmul(a, b, c, m, k, n, a_row_step, a_col_step)    bias_relu(z, b, a, rows, cols)
        #   relu_backward(delta, z, count)                      adam(p, g, m, v, count, 6 x double)
        # No argtypes are declared: ctypes passes a Python int as a C int, which is the i32 wanted, and
        # declaring them makes each call cost 3.6 µs in Pyodide instead of 0.8 µs. So every argument
        # must be a Python int, or a ctypes.c_double for Adam's coefficients (ctypes converts no float
        # by itself), as the methods below pass.
        from ctypes import c_double  # only where the kernel runs: CPython never loads ctypes for it

        self._double = c_double
        self._functions = {}
        for dtype, suffix in zip(DTYPES, ("", "_f32"), strict=True):
            for name in ("matmul", "bias_relu", "relu_backward", "adam"):
                function = getattr(library, name + suffix)
                function.restype = None
                self._functions[name, dtype] = function
        self.fused = self.rounds_once()

    def rounds_once(self):
        """Whether a product's multiply-add is rounded once (fused) or twice, as one product shows.

        With x = 1 + 2**-30, the sum -1 * 1 + x * x is 2**-29 + 2**-60
        exactly: a fused multiply-add gets it, while rounding x * x first
        loses the 2**-60. Two rows and eight columns: the tile the fused
        build changes.
        """
        x = 1.0 + 2.0**-30
        a, b = np.array([[-1.0, x]] * 2), np.array([[1.0] * 8, [x] * 8])
        return bool(self.matmul(a, b, np.empty((2, 8)))[0, 0] != 2.0**-29)

    def matmul(self, a, b, out, transpose_a=False):
        """``out = a @ b``, or ``a.T @ b`` (read in place, no transposed copy).

        All three must be C-contiguous and of one precision (:func:`fits`);
        the caller copies what is not.
        """
        m, n = out.shape
        rows, k = (a.shape[1], a.shape[0]) if transpose_a else a.shape
        at = _addresses_of(a, b, out)
        if rows != m or b.shape != (k, n) or at is None:
            raise ValueError(f"kernel matmul: shapes {a.shape}{'.T' if transpose_a else ''} @ {b.shape} -> {out.shape}, "
                             "or arrays that are not C-contiguous and of one precision")
        a_row_step, a_col_step = (1, m) if transpose_a else (k, 1)
        self._functions["matmul", out.dtype](*at, m, k, n, a_row_step, a_col_step)
        return out

    def bias_relu(self, z, b, a):
        """``z += b`` (a row vector added to every row), then ``a = max(z, 0)``: eq. 1.3.0-1.3.1 with ReLU."""
        at = _addresses_of(z, b, a)
        if z.ndim != 2 or b.shape != z.shape[1:] or a.shape != z.shape or at is None:
            raise ValueError(f"kernel bias_relu: shapes {z.shape}, {b.shape}, {a.shape}")
        self._functions["bias_relu", z.dtype](*at, z.shape[0], z.shape[1])
        return a

    def relu_backward(self, delta, z):
        """``delta *= (z > 0)`` in place: the chain rule through ReLU (eq. 2.3.4-2.3.5)."""
        at = _addresses_of(delta, z)
        if delta.shape != z.shape or at is None:
            raise ValueError(f"kernel relu_backward: shapes {delta.shape}, {z.shape}")
        self._functions["relu_backward", delta.dtype](*at, delta.size)
        return delta

    def adam(self, p, g, m, v, beta_1, beta_2, epsilon, step):
        """One Adam step on ``p`` in place, with its moments ``m`` and ``v`` (see :class:`mlp.optimizers.Adam`).

        The coefficients are Python floats; for float32 arrays the kernel
        rounds each to float32 once, as NumPy does when it multiplies a
        float32 array by a Python float.
        """
        at = _addresses_of(p, g, m, v)
        if not (p.shape == g.shape == m.shape == v.shape) or at is None:
            raise ValueError(f"kernel adam: shapes {p.shape}, {g.shape}, {m.shape}, {v.shape}")
        coefficients = (beta_1, 1.0 - beta_1, beta_2, 1.0 - beta_2, epsilon, step)
        self._functions["adam", p.dtype](*at, p.size, *map(self._double, coefficients))


def load(path=None):
    """Open the kernel at ``path`` (default: ``$MLP_KERNEL``); None where it cannot run.

    Only Pyodide can run it (``sys.platform == "emscripten"``). A file that
    is missing or that the engine refuses (no WebAssembly SIMD) gives None
    too, and NumPy does the work.
    """
    path = path or os.environ.get(ENV_VAR)
    if sys.platform != "emscripten" or not path or not os.path.isfile(path):
        return None
    import ctypes

    try:
        return Kernel(ctypes.CDLL(path))
    except (OSError, AttributeError):
        return None


KERNEL = load()
"""The kernel, or None: then NumPy does its work."""
