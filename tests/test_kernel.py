"""The WebAssembly SIMD matmul kernel, in the built site's Pyodide (under Node), against NumPy."""

import numpy as np

from .pyodide_node import run_python

# Shapes (m, k, n) of C = A @ B: ones, odd sizes, sizes around the kernel's 8- and
# 2-column steps, and the digits network's own products.
SHAPES = [(1, 1, 1), (1, 3, 2), (3, 5, 7), (2, 9, 8), (7, 1, 17), (5, 4, 9), (4, 6, 10), (15, 64, 15),
          (33, 17, 9), (64, 64, 256), (64, 256, 10), (64, 10, 256), (256, 64, 64)]

CHECK = f"""
import json
import numpy as np
import mlp.matmul as mm

rng = np.random.default_rng(0)
worst = 0.0
for m, k, n in {SHAPES!r}:
    a, b = rng.normal(size=(m, k)), rng.normal(size=(k, n))
    reference = np.dot(a, b)
    scale = np.abs(reference).max()
    plain, transposed = np.empty((m, n)), np.empty((m, n))
    mm.KERNEL.product(a, b, plain)
    mm.KERNEL.product(np.ascontiguousarray(a.T), b, transposed, transpose_a=True)
    strided = np.empty((n, m)).T  # an output that is not C-contiguous
    mm.KERNEL.product(a, b, strided)
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
json.dumps({{"backend": mm.BACKEND, "worst": worst, "public": public}})
"""


def test_the_kernel_equals_numpy_on_every_shape(site_dir, tmp_path):
    result = run_python(site_dir, CHECK, tmp_path)
    assert result["backend"] == "wasm-simd"
    assert result["worst"] <= 1e-12 and result["public"] <= 1e-12, result


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
    with_kernel = run_python(site_dir, code, tmp_path)
    without = run_python(site_dir, code, tmp_path, kernel=False)
    for p, q in zip(with_kernel, without):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-9)


def test_pyodide_imports_the_precompiled_modules_and_keeps_mlps_source(site_dir, tmp_path):
    code = """
import inspect, json, numpy, mlp.network
json.dumps({"json": json.__file__, "numpy": numpy.__file__, "cached": mlp.network.__cached__,
            "source": inspect.getsource(mlp.network.Network.backprop)[:200]})
"""
    found = run_python(site_dir, code, tmp_path)
    assert found["json"].endswith("json/__init__.pyc") and found["numpy"].endswith("numpy/__init__.pyc")
    assert found["cached"].endswith("__pycache__/network.cpython-312.pyc")
    assert "def backprop(self, x, y, loss" in found["source"]
