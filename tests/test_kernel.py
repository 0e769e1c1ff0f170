"""The WebAssembly SIMD kernel, in the built site's Pyodide (under Node), against NumPy."""

import numpy as np
import pytest

from .pyodide_node import expected_backend, run_python

# Shapes (m, k, n) of C = A @ B: ones, odd sizes, sizes around the kernel's 8- and
# 2-column steps, and the digits network's own products.
SHAPES = [(1, 1, 1), (1, 3, 2), (3, 5, 7), (2, 9, 8), (7, 1, 17), (5, 4, 9), (4, 6, 10), (15, 64, 15),
          (33, 17, 9), (64, 64, 256), (64, 256, 10), (64, 10, 256), (256, 64, 64)]

CHECK = f"""
import json
import numpy as np
import mlp.matmul as mm
from mlp.kernel import KERNEL

rng = np.random.default_rng(0)
worst = 0.0
for m, k, n in {SHAPES!r}:
    a, b = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    reference = np.dot(a, b)
    scale = np.abs(reference).max()
    plain, transposed = np.empty((m, n)), np.empty((m, n))
    KERNEL.matmul(a, b, plain)
    KERNEL.matmul(np.ascontiguousarray(a.T), b, transposed, transpose_a=True)
    strided = np.empty((n, m)).T  # an output that is not C-contiguous: mlp.matmul copies
    mm._kernel(a, b, strided)
    for got in (plain, transposed, strided):
        worst = max(worst, float(np.abs(got - reference).max() / scale))

# The three products backprop uses, through the functions training calls, above the kernel's threshold.
a, w, delta = rng.normal(size=(64, 64)), rng.normal(size=(64, 256)), rng.normal(size=(64, 256))
z, grad, back = np.empty((64, 256)), np.empty((64, 256)), np.empty((64, 64))
mm.matmul_into(a, w, z)
mm.matmul_at_b_into(a, delta, grad)
mm.matmul_a_bt_into(delta, w, back)
public = max(float(np.abs(got - ref).max() / np.abs(ref).max())
             for got, ref in ((z, a @ w), (grad, a.T @ delta), (back, delta @ w.T)))

def same_bits(p, q):
    return p.shape == q.shape and p.tobytes() == q.tobytes()

def awkward(shape):
    # Normal values with zeros of both signs, NaN and infinities among them.
    x = rng.normal(size=shape).ravel()
    x[::7], x[1::11], x[2::13], x[3::17] = 0.0, -0.0, np.nan, np.inf
    return x.reshape(shape)

elementwise = []
for m, n in [(1, 1), (1, 2), (3, 5), (2, 9), (64, 256), (15, 15), (7, 10)]:
    z, b = awkward((m, n)), rng.normal(size=n)
    b[::2] = -0.0  # so that some z + b are -0.0, which max(., 0) keeps as NumPy does
    expected_z = z + b
    expected_a = np.maximum(expected_z, 0.0)
    got_a = np.empty((m, n))
    KERNEL.bias_relu(z, b, got_a)
    delta = awkward((m, n))
    expected_delta = np.multiply(delta, z > 0)
    KERNEL.relu_backward(delta, z)
    elementwise.append(same_bits(z, expected_z) and same_bits(got_a, expected_a) and same_bits(delta, expected_delta))

from mlp.optimizers import Adam
import mlp.optimizers as opt
adam_same = []
for shape in [(1,), (3,), (64, 257), (257,), (10, 5)]:
    params = [rng.normal(size=shape)]
    kernel_params, numpy_params = [params[0].copy()], [params[0].copy()]
    with_kernel, with_numpy = Adam(kernel_params, 1e-2), Adam(numpy_params, 1e-2)
    for _ in range(3):
        g = rng.normal(size=shape)
        with_kernel.update(kernel_params, [g.copy()])
        # NumPy's own update, the kernel out of the way:
        import mlp.optimizers as opt
        saved, opt.KERNEL = opt.KERNEL, None
        with_numpy.update(numpy_params, [g.copy()])
        opt.KERNEL = saved
    adam_same.append(same_bits(kernel_params[0], numpy_params[0]) and same_bits(with_kernel.ms[0], with_numpy.ms[0])
                     and same_bits(with_kernel.vs[0], with_numpy.vs[0]))

# float32: the same functions with four lanes. Products to float32's precision, the rest to the bit.
worst_f32 = 0.0
for m, k, n in {SHAPES!r} + [(3, 7, 33), (2, 5, 20), (5, 3, 19)]:
    a, b = rng.normal(size=(m, k)).astype(np.float32), rng.normal(size=(k, n)).astype(np.float32)
    reference = a.astype(np.float64) @ b.astype(np.float64)
    plain, transposed = np.empty((m, n), np.float32), np.empty((m, n), np.float32)
    KERNEL.matmul(a, b, plain)
    KERNEL.matmul(np.ascontiguousarray(a.T), b, transposed, transpose_a=True)
    for got in (plain, transposed):
        worst_f32 = max(worst_f32, float(np.abs(got - reference).max() / np.abs(reference).max()))
elementwise_f32 = []
for m, n in [(1, 1), (1, 3), (3, 5), (2, 9), (64, 256), (15, 15), (7, 10)]:
    z, b = awkward((m, n)).astype(np.float32), rng.normal(size=n).astype(np.float32)
    b[::2] = -0.0
    expected_z = z + b
    expected_a = np.maximum(expected_z, 0.0)
    got_a = np.empty((m, n), np.float32)
    KERNEL.bias_relu(z, b, got_a)
    delta = awkward((m, n)).astype(np.float32)
    expected_delta = np.multiply(delta, z > 0)
    KERNEL.relu_backward(delta, z)
    elementwise_f32.append(same_bits(z, expected_z) and same_bits(got_a, expected_a) and same_bits(delta, expected_delta))
for shape in [(1,), (3,), (64, 257), (257,), (10, 5)]:
    start = rng.normal(size=shape).astype(np.float32)
    kernel_params, numpy_params = [start.copy()], [start.copy()]
    with_kernel, with_numpy = Adam(kernel_params, 1e-2), Adam(numpy_params, 1e-2)
    for _ in range(3):
        g = rng.normal(size=shape).astype(np.float32)
        with_kernel.update(kernel_params, [g.copy()])
        saved, opt.KERNEL = opt.KERNEL, None
        with_numpy.update(numpy_params, [g.copy()])
        opt.KERNEL = saved
    adam_same.append(kernel_params[0].dtype == np.float32 and same_bits(kernel_params[0], numpy_params[0])
                     and same_bits(with_kernel.ms[0], with_numpy.ms[0]) and same_bits(with_kernel.vs[0], with_numpy.vs[0]))

refused = []
for call in (lambda: KERNEL.matmul(np.ones((2, 3)), np.ones((4, 2)), np.empty((2, 2))),
             lambda: KERNEL.matmul(np.ones((2, 3), dtype=np.float32), np.ones((3, 2)), np.empty((2, 2))),
             lambda: KERNEL.bias_relu(np.ones((2, 3)), np.ones(2), np.empty((2, 3))),
             lambda: KERNEL.relu_backward(np.ones((2, 3)), np.ones((3, 2))),
             lambda: KERNEL.adam(np.ones(3), np.ones(4), np.ones(3), np.ones(3), 0.9, 0.999, 1e-8, 0.1),
             lambda: KERNEL.matmul(np.ones((2, 3)), np.ones((3, 2), np.float32), np.empty((2, 2), np.float32)),
             lambda: KERNEL.bias_relu(np.ones((2, 3), np.float32), np.ones(3), np.empty((2, 3), np.float32))):
    try:
        call()
        refused.append(False)
    except ValueError:
        refused.append(True)
json.dumps({{"backend": mm.BACKEND, "worst": worst, "public": public, "elementwise": elementwise,
             "adam": adam_same, "refused": refused, "worst_f32": worst_f32, "elementwise_f32": elementwise_f32}})
"""


@pytest.mark.parametrize("kernel", [True, "fused"], ids=["plain", "fused"])
def test_the_kernel_equals_numpy_on_every_shape(site_dir, tmp_path, kernel):
    result = run_python(site_dir, CHECK, tmp_path, kernel=kernel)
    # The fused build rounds once per multiply-add where the CPU has FMA, and says so (mlp.kernel probes it).
    expected = expected_backend("fused" if kernel == "fused" else "plain")
    assert result["backend"] == expected if expected else result["backend"] in ("wasm-simd", "wasm-simd-fma")
    assert result["worst"] <= 1e-12 and result["public"] <= 1e-12, result
    if kernel is True:  # the plain build adds in a plain loop's order: Pyodide np.dot's own bits
        assert result["worst"] == 0 and result["public"] == 0, result
    # The element-wise functions are NumPy's operations in NumPy's order: the same bits, NaN and -0.0 included,
    # in float64 and in float32; float32 products agree with float64's to float32's precision.
    assert all(result["elementwise"]) and all(result["elementwise_f32"]) and all(result["adam"]), result
    assert result["worst_f32"] <= 1e-5, result
    # Shapes that do not match, or arrays it cannot read in place, are refused before any address is passed.
    assert all(result["refused"]), result


def test_without_the_kernel_numpy_multiplies(site_dir, tmp_path):
    code = "import json\nimport mlp.matmul as mm\njson.dumps({'backend': mm.BACKEND})"
    assert run_python(site_dir, code, tmp_path, kernel=False) == {"backend": "numpy-einsum"}


def test_training_in_pyodide_is_the_same_with_and_without_the_kernel(site_dir, tmp_path):
    code = """
import json
import numpy as np
from mlp.config import recommended
from mlp.planes import make_plane
from mlp.session import Session

spiral = make_plane("spiral", 300)
session = Session(spiral, {**recommended(spiral), "hidden_layers": [64, 64], "epochs": 5})
session.reset()
while not session.train(max_ms=None)["finished"]:
    pass
json.dumps([w.tolist() for w in session.network.weights])
"""
    without = run_python(site_dir, code, tmp_path, kernel=False)
    for kernel in (True, "fused"):
        for p, q in zip(run_python(site_dir, code, tmp_path, kernel=kernel), without, strict=True):
            np.testing.assert_allclose(p, q, rtol=0, atol=1e-9)


def test_pyodide_imports_the_precompiled_modules_and_keeps_mlps_source(site_dir, tmp_path):
    code = """
import inspect, json, numpy, mlp.network
import numpy.testing  # NumPy's parts a learner may use all load from the trimmed wheel
x = numpy.arange(4.0)
works = bool(numpy.allclose(numpy.linalg.inv(numpy.diag(x + 1)) @ (x + 1), 1) and numpy.fft.fft(x)[0] == 6
             and numpy.polynomial.Polynomial([1, 2])(1) == 3 and numpy.random.default_rng(0).random() < 1)
try:
    import numpy.f2py
    trimmed = False
except ImportError:
    trimmed = True
try:
    assert False, "asserts run"
except AssertionError:
    asserts = True
else:
    asserts = False
import statistics  # not imported at start-up: from the second archive (the page fetches it on first import)
json.dumps({"json": json.__file__, "numpy": numpy.__file__, "cached": mlp.network.__cached__,
            "source": inspect.getsource(mlp.network.Network.backprop)[:200], "works": works, "trimmed": trimmed,
            "docs": [json.__doc__, json.dumps.__doc__, numpy.random.default_rng.__doc__ is not None,
                     mlp.network.Network.__doc__[:20]],
            "asserts": asserts, "statistics": statistics.__file__, "mean": statistics.fmean([1, 2])})
"""
    found = run_python(site_dir, code, tmp_path)
    assert found["works"] and found["trimmed"]
    # the stdlib's and NumPy's start-up .pyc hold empty docstrings; mlp's, and asserts, stay
    assert found["docs"] == ["", "", True, "A fully connected fe"] and found["asserts"]
    assert found["statistics"] == "/lib/python312_rest.zip/statistics.py" and found["mean"] == 1.5
    assert found["json"].endswith("json/__init__.pyc") and found["numpy"].endswith("numpy/__init__.pyc")
    assert found["cached"].endswith("__pycache__/network.cpython-312.pyc")
    assert "def backprop(self, x, y, loss" in found["source"]
