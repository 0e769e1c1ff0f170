"""The playground around the 2-D sets, and every dataset's preset: input features, the
network diagram, the plane-first layout, and the page training like CPython."""

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp.planes import COLOURS, SETTINGS, make_plane
from mlp.session import Session

from .conftest import wait_until_ready
from .test_datasets import export, open_dataset, train, trained_in_cpython

pytestmark = pytest.mark.e2e


# The floors are the worst held-out scores in tests/benchmarks/README.md over seeds 5-24, less a margin;
# here the split seed is the preset's own, 0.
@pytest.mark.parametrize("name, floor", [
    ("iris", 0.85), ("breast_cancer", 0.93), ("spiral", 0.95), ("plane", 0.95), ("multi_gaussian", 0.85),
])
def test_each_preset_trains_in_the_page_as_in_cpython(page, live_server, site_dir, tmp_path, name, floor):
    open_dataset(page, live_server, name)
    train(page)
    model = export(page, tmp_path / f"{name}.json")
    reference = trained_in_cpython(site_dir, name, model.metadata["config"])
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    x = reference.dataset.x
    if reference.dataset.task == "classification":
        score = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
        np.testing.assert_array_equal(model.predict_classes(x), reference.network.predict_classes(x))
        assert score == reference.evaluate()["accuracy"] >= floor
    else:
        score = float(page.get_by_test_id("regression-metrics").get_attribute("data-r2"))
        np.testing.assert_allclose(model.predict(x), reference.network.predict(x), atol=1e-6, rtol=0)
        assert score == pytest.approx(reference.evaluate()["r2"], abs=1e-9) and score >= floor


def test_input_features_shape_the_network_and_stay_in_the_link_and_the_model(page, live_server, site_dir, tmp_path):
    open_dataset(page, live_server, "circles")
    squares = [page.get_by_label("x₁²", exact=True), page.get_by_label("x₂²", exact=True)]
    raw = [page.get_by_label("x₁", exact=True), page.get_by_label("x₂", exact=True)]
    expect(raw[0]).to_be_checked()
    expect(squares[0]).not_to_be_checked()
    for box in squares:
        box.check()
    for box in raw:
        box.uncheck()
    expect(page.get_by_text("1,218 parameters (2 inputs → 32 → 32 → 2)")).to_be_visible()
    assert "input_features=x1%5E2%2Cx2%5E2" in page.url
    page.get_by_label("x₁²", exact=True).uncheck()
    page.get_by_label("x₂²", exact=True).uncheck()
    expect(page.locator('[data-error-for="input_features"]')).to_have_text("choose at least one")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()
    for box in squares:
        box.check()
    page.get_by_label("Epochs").fill("20")
    train(page)
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram).to_have_attribute("data-layers", "2-32-32-2")
    expect(diagram.locator("text.node-label").first).to_have_text("x₁²")
    model = export(page, tmp_path / "circles.json")
    assert model.input_features == ["x1^2", "x2^2"]
    reference = trained_in_cpython(site_dir, "circles", model.metadata["config"])
    np.testing.assert_allclose(model.parameters()[0], reference.network.parameters()[0], atol=1e-6, rtol=0)
    assert float(page.get_by_test_id("test-accuracy").get_attribute("data-value")) == reference.evaluate()["accuracy"]
    page.reload()  # the link brings the features back
    wait_until_ready(page)
    expect(page.get_by_label("x₁²", exact=True)).to_be_checked(timeout=60_000)
    expect(page.get_by_label("x₁", exact=True)).not_to_be_checked()


def test_the_diagram_shows_each_weight_and_summarises_wide_layers(page, live_server, tmp_path):
    open_dataset(page, live_server, "digits")
    diagram = page.get_by_test_id("network-diagram")
    expect(diagram).to_have_attribute("data-layers", "64-256-10")
    edges = diagram.locator("line.edge")
    expect(edges).to_have_count(10 * 10 + 10 * 10)  # 64 and 256 cut to their 10 strongest units
    expect(diagram.locator("text.layer-caption").nth(1)).to_contain_text("256")
    expect(diagram.locator("text.layer-caption").nth(1)).to_contain_text("10 shown")
    model = export(page, tmp_path / "digits.json")
    edge = edges.nth(37)
    i, j, layer = (int(edge.get_attribute(a)) for a in ("data-from", "data-to", "data-layer"))
    weight = model.weights[layer - 1][i, j]
    assert float(edge.get_attribute("data-weight")) == weight
    assert edge.get_attribute("stroke") == ("#0877bd" if weight >= 0 else "#f59322")
    edge.dispatch_event("pointerover")
    readout = diagram.locator(".diagram-readout")
    expect(readout).to_contain_text(f"weight from input unit {i + 1} to hidden layer 1 unit {j + 1}: ")
    shown = readout.text_content().rsplit(": ", 1)[1]
    assert "-" not in shown and float(shown.replace("\u2212", "-")) == pytest.approx(weight, rel=1e-3)  # the true minus


def test_the_plane_train_and_the_loss_chart_fit_one_laptop_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    open_dataset(page, live_server, "spiral")
    for part in (page.get_by_test_id("decision-boundary"), page.get_by_role("button", name="Train", exact=True),
                 page.get_by_test_id("loss-chart"), page.get_by_test_id("network-diagram")):
        box = part.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366, box
    context.close()


def test_add_layer_after_removing_every_layer_starts_from_the_datasets_own_preset(page, live_server):
    """On XOR, not the digits' 256-unit ReLU: the first layer of XOR's preset (32 tanh)."""
    open_dataset(page, live_server, "xor")
    for _ in range(2):
        page.get_by_role("button", name="Remove").first.click()
    expect(page.get_by_text("6 parameters (2 inputs → 2)")).to_be_visible()
    page.get_by_role("button", name="Add layer").click()
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("32")
    expect(page.locator("#layer-0-activation")).to_have_value("tanh")
    expect(page.get_by_text("162 parameters (2 inputs → 32 → 2)")).to_be_visible()


def class_pixels(page, selector, colours):
    """How many pixels of each class's colour the canvases under ``selector`` show: a pixel is class c's when it
    lies on the line from white to c's colour (the plane pales a colour toward white), at least a quarter of the way."""
    pixels = np.array(page.locator(selector).evaluate_all(
        "canvases => canvases.flatMap(c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data))"),
        dtype=float).reshape(-1, 4)[:, :3]
    white = np.full(3, 255.0)
    counts = {}
    for name, rgb in colours.items():
        d = np.array(rgb, dtype=float) - white
        s = np.clip((pixels - white) @ d / (d @ d), 0, 1)
        residual = np.linalg.norm(pixels - white - s[:, None] * d, axis=1)
        counts[name] = int(((residual < 8) & (s > 0.25)).sum())
    return counts


def test_a_k_class_set_trains_in_the_page_as_in_cpython_with_a_colour_per_class(page, live_server, tmp_path):
    open_dataset(page, live_server, "spiral")
    classes = page.get_by_test_id("plane-classes")
    expect(classes).to_be_hidden()  # two spirals have two classes
    page.get_by_test_id("dataset-select").select_option(label="k spiral arms")
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "arms", timeout=60_000)
    expect(classes).to_have_value(str(SETTINGS["classes"]["default"]))
    classes.fill("5")
    train(page)  # regenerates with 5 classes first
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-classes", "5")
    expect(status).to_contain_text("5 classes (orange, blue, green, purple, yellow)")
    expect(page.get_by_test_id("plane-legend").get_by_role("listitem")).to_have_text(
        ["orange", "blue", "green", "purple", "yellow"])
    assert "classes=5" in page.url
    model = export(page, tmp_path / "arms.json")
    assert model.classes == list(COLOURS)[:5] and model.dimensions[-1] == 5
    reference = Session(make_plane("arms", classes=5), model.metadata["config"])
    reference.reset()
    while not reference.train(max_ms=None)["finished"]:
        pass
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    score = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    assert score == reference.evaluate()["accuracy"] >= 0.95
    shown = class_pixels(page, '[data-testid="decision-boundary"]', COLOURS)
    assert sum(n > 1000 for n in shown.values()) == 5 and shown["grey"] < 1000, shown  # 300x300 canvas
    units = class_pixels(page, '[data-testid="hidden-units"] canvas', COLOURS)
    assert sum(n > 0 for name, n in units.items() if name != "grey") > 2, units
    page.get_by_test_id("dataset-select").select_option(label="Two spirals")  # two classes: orange and blue, as before
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "spiral", timeout=60_000)
    expect(page.get_by_test_id("plane-legend")).to_be_hidden()
    expect(page.get_by_test_id("decision-boundary")).to_have_attribute("data-epoch", "0")  # a fresh network's
    shown = class_pixels(page, '[data-testid="decision-boundary"]', COLOURS)
    assert shown["orange"] + shown["blue"] > 1000 and shown["green"] + shown["purple"] + shown["yellow"] < 100, shown
