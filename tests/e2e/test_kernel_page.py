"""The page's matrix products: the WebAssembly SIMD kernel when it loads (with fused multiply-adds where the engine and
the CPU have them), its plain build, NumPy when it is off; the same model every way."""

import numpy as np
import pytest
from playwright.sync_api import expect

from ..pyodide_node import expected_backend
from .test_datasets import export, open_dataset, train, trained_in_cpython

pytestmark = pytest.mark.e2e


def test_the_page_says_which_code_multiplies_and_trains_alike_without_the_kernel(page, live_server, site_dir, tmp_path):
    models = {}
    fused = expected_backend("fused")  # Chromium has relaxed SIMD
    for query, backend in (("", fused), ("?kernel=plain", "wasm-simd"), ("?kernel=off", "numpy-einsum")):
        open_dataset(page, f"{live_server}{query}", "spiral")
        if backend is None:  # a CPU this test cannot tell: either build is right
            backend = page.get_by_test_id("matmul-backend").get_attribute("data-backend")
            assert backend in ("wasm-simd", "wasm-simd-fma")
        expect(page.get_by_test_id("matmul-backend")).to_have_attribute("data-backend", backend)
        page.get_by_label("Epochs").fill("30")
        train(page, replacing=bool(models))  # the last load's model is kept, and comes back on this one
        models[backend] = export(page, tmp_path / f"spiral-{backend}.json")
    expect(page.get_by_test_id("matmul-backend")).to_contain_text("NumPy alone")
    reference = trained_in_cpython(site_dir, "spiral", models["wasm-simd"].metadata["config"])
    x = reference.dataset.x
    for model in models.values():
        for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
            np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
        np.testing.assert_array_equal(model.predict_classes(x), reference.network.predict_classes(x))
