"""Any dataset in the page: the picker, real tabular sets, regression and the decision boundary."""

import json

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp.data import read_dataset
from mlp.session import Session

from .conftest import wait_until_ready

pytestmark = pytest.mark.e2e


def open_dataset(page, url, name):
    """Open the page on a dataset (through the link) and wait until its model is shown."""
    page.goto(f"{url}#dataset={name}")
    wait_until_ready(page)
    page.locator(f'[data-testid="dataset-status"][data-name="{name}"]').wait_for(timeout=60_000)
    page.locator('[data-testid="model-summary"][data-origin]').wait_for(timeout=30_000)


def train(page, timeout=300_000, replacing=False):
    """Press Train and wait for the run's end. ``replacing``: the model on screen was kept by an earlier
    visit (or imported), so the page first asks to replace it, and the learner says yes."""
    panel = page.get_by_test_id("training-panel")
    panel.evaluate("node => { node.dataset.state = 'clicked'; }")  # only this run's end counts
    page.get_by_role("button", name="Train", exact=True).click()
    if replacing:
        page.get_by_test_id("training-message").get_by_role("button", name="Replace it").click()
    expect(panel).to_have_attribute("data-state", "finished", timeout=timeout)


def export(page, path):
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(path)
    return mlp.load(path)


def use_csv(page, path):
    """Pick a CSV, and use it with the choices the page offers first (the label column, the task, the columns)."""
    page.get_by_test_id("csv-upload").set_input_files(path)
    page.get_by_role("button", name="Use this file").click()


def trained_in_cpython(site_dir, name, config):
    """A CPython session on the same data file, trained to the end of ``config``: the page's reference."""
    session = Session(read_dataset(site_dir / "data", name), config)
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    return session


def cpython_session(site_dir, name, model):
    """A CPython session on the same data and split as the page's, holding the page's model."""
    session = Session(read_dataset(site_dir / "data", name), model.metadata["config"])
    session.use_network(model)
    return session


def test_the_picker_switches_the_data_the_form_and_the_link(page, live_server):
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_test_id("dataset-select").select_option("iris")
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "iris", timeout=30_000)
    expect(status).to_contain_text("150 flowers: 4 features, 3 classes (setosa, versicolor, virginica); 114 to train on, 36 held out.")
    expect(page.get_by_text("131 parameters (4 inputs → 16 → 3)")).to_be_visible()
    expect(page.get_by_test_id("draw-panel")).to_be_hidden()
    expect(page.get_by_label("Output and loss").locator("option[value='identity:mse']")).to_have_count(0)
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("16")
    assert "dataset=iris" in page.url
    page.get_by_test_id("dataset-select").select_option("diabetes")
    expect(status).to_have_attribute("data-name", "diabetes", timeout=30_000)
    expect(page.get_by_label("Output and loss")).to_have_value("identity:mse")
    expect(page.get_by_test_id("accuracy-chart")).to_be_hidden()
    page.get_by_test_id("dataset-select").select_option("digits")
    expect(status).to_have_attribute("data-name", "digits", timeout=30_000)
    expect(page.get_by_test_id("draw-panel")).to_be_visible()
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")


def test_a_tabular_set_trains_like_cpython_and_its_model_stays_with_its_data(page, live_server, site_dir, tmp_path):
    open_dataset(page, live_server, "wine")
    expect(page.get_by_test_id("model-summary")).to_contain_text("untrained network: 13-16-3")
    train(page)
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    model = export(page, tmp_path / "wine.json")
    session = cpython_session(site_dir, "wine", model)
    assert session.evaluate()["accuracy"] == accuracy > 0.9
    reference = trained_in_cpython(site_dir, "wine", model.metadata["config"])
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(model.predict_classes(session.dataset.x), reference.network.predict_classes(session.dataset.x))
    expect(page.get_by_test_id("class-report")).to_contain_text("class_0")
    expect(page.get_by_test_id("confusion-matrix")).to_contain_text("class_2")

    page.get_by_test_id("dataset-select").select_option("digits")
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "digits", timeout=30_000)
    page.get_by_test_id("import-model").set_input_files(tmp_path / "wine.json")
    expect(page.get_by_test_id("model-message")).to_contain_text(
        "this model was made for 'wine' (13 inputs, 3 outputs), not for 'digits' (64 inputs, 10 outputs)")
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")

    page.get_by_test_id("dataset-select").select_option("wine")
    expect(page.get_by_test_id("model-summary")).to_contain_text("your last trained model: 13-16-3", timeout=30_000)
    page.get_by_test_id("import-model").set_input_files(tmp_path / "wine.json")
    expect(page.get_by_test_id("model-message")).to_contain_text("Imported wine.json")
    expect(page.get_by_test_id("test-accuracy")).to_have_attribute("data-value", str(accuracy))


def test_regression_r2_in_the_page_equals_sklearn(page, live_server, site_dir, tmp_path):
    from sklearn.metrics import r2_score

    open_dataset(page, live_server, "diabetes")
    train(page)
    metrics = page.get_by_test_id("regression-metrics")
    r2 = float(metrics.get_attribute("data-r2"))
    model = export(page, tmp_path / "diabetes.json")
    session = cpython_session(site_dir, "diabetes", model)
    predictions = model.predict(session.x_test)[:, 0]
    assert r2 == pytest.approx(r2_score(session.y_test, predictions), rel=1e-12, abs=1e-12)
    assert r2 > 0.3
    assert page.get_by_test_id("prediction-scatter").get_attribute("data-points") == str(len(session.y_test))
    expect(metrics).to_contain_text("MAE")


def _pixel(page, x, y):
    return page.get_by_test_id("decision-boundary").evaluate(
        "(canvas, [x, y]) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))", [x, y])


def _colour(p):
    """plane-view.js's background colour for a probability of blue, to compare with the canvas."""
    orange, blue, white = np.array([245, 147, 34]), np.array([8, 119, 189]), np.array([255, 255, 255])
    t = min(1.0, max(0.0, p))
    rgb = np.round(orange + (white - orange) * t * 2) if t < 0.5 else np.round(white + (blue - white) * (t - 0.5) * 2)
    return np.round(rgb + (white - rgb) * 0.35)


def test_the_decision_boundary_follows_training_and_matches_cpython(page, live_server, site_dir, tmp_path):
    open_dataset(page, live_server, "xor")
    canvas = page.get_by_test_id("decision-boundary")
    expect(canvas).to_be_visible()
    before = canvas.evaluate("c => c.toDataURL()")
    page.get_by_role("button", name="Step one epoch").click()
    expect(canvas).to_have_attribute("data-epoch", "1", timeout=30_000)
    after_one = canvas.evaluate("c => c.toDataURL()")
    page.get_by_role("button", name="Step one epoch").click()
    expect(canvas).to_have_attribute("data-epoch", "2", timeout=30_000)
    assert len({before, after_one, canvas.evaluate("c => c.toDataURL()")}) == 3  # it changes between epochs
    train(page)
    expect(canvas).to_have_attribute("data-epoch", "200")
    model = export(page, tmp_path / "xor.json")
    points = np.array(cpython_session(site_dir, "xor", model).dataset.x)
    resolution, extent, size = int(canvas.get_attribute("data-resolution")), 6.0, 300
    axis = np.linspace(-extent, extent, resolution)
    # Cells whose centre no data point is drawn over (a point is 3 px, a quarter of a unit at 25 px per unit).
    clear = [(row, col) for row in range(resolution) for col in range(resolution)
             if np.hypot(*(points - [axis[col], axis[::-1][row]]).T).min() > 0.3]
    picked = clear[:: max(1, len(clear) // 12)]
    assert len(picked) >= 8
    for row, col in picked:
        p = model.predict(np.array([[axis[col], axis[::-1][row]]]))[0, 1]
        centre = (int((col + 0.5) * size / resolution), int((row + 0.5) * size / resolution))
        np.testing.assert_allclose(_pixel(page, *centre), _colour(p), atol=2, err_msg=f"cell {row}, {col}: p={p:.3f}")
    assert json.loads(json.dumps(model.dataset))["name"] == "xor"


def _wine_csv(path):
    """The wine data as a person would save it: a header, and the label last, as text."""
    from sklearn.datasets import load_wine

    bunch = load_wine()
    names = ["barolo", "grignolino", "barbera"]
    lines = [",".join([*bunch.feature_names, "cultivar"])]
    lines += [",".join([*map(str, row), names[t]]) for row, t in zip(bunch.data, bunch.target, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_csv_whose_text_label_comes_first_opens_and_its_label_can_be_chosen(page, live_server, tmp_path):
    lines = _wine_csv(tmp_path / "wine.csv").read_text().splitlines()
    first = [",".join([line.rsplit(",", 1)[1], line.rsplit(",", 1)[0]]) for line in lines]  # cultivar first
    (tmp_path / "first.csv").write_text("\n".join(first) + "\n")
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_test_id("csv-upload").set_input_files(tmp_path / "first.csv")
    # Offered before the file is used: the only text column, first, as the label, and why.
    expect(page.get_by_test_id("csv-note")).to_contain_text("The label is 'cultivar', the first column", timeout=30_000)
    expect(page.get_by_test_id("label-column")).to_have_value("cultivar")
    page.get_by_role("button", name="Use this file").click()
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "first", timeout=30_000)
    expect(status).to_contain_text("178 rows: 13 features, 3 classes (barbera, barolo, grignolino)")


def test_your_csv_uploads_trains_evaluates_and_stays_in_the_browser(page, live_server, tmp_path):
    page.goto(live_server)
    wait_until_ready(page)
    use_csv(page, _wine_csv(tmp_path / "cellar.csv"))
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)
    expect(status).to_contain_text("178 rows: 13 features, 3 classes (barbera, barolo, grignolino)")
    expect(status).to_contain_text("a link to this page cannot bring it along")
    assert (status.get_attribute("data-rows"), status.get_attribute("data-features"), status.get_attribute("data-classes")) == ("178", "13", "3")
    expect(page.get_by_test_id("dataset-select")).to_have_value("cellar")
    expect(page.get_by_test_id("label-column")).to_have_value("cultivar")
    assert "dataset=" not in page.url
    train(page)
    assert float(page.get_by_test_id("test-accuracy").get_attribute("data-value")) > 0.9
    expect(page.get_by_test_id("class-report")).to_contain_text("grignolino")

    page.reload()
    wait_until_ready(page)
    page.get_by_test_id("dataset-select").select_option("cellar")  # kept in IndexedDB across the reload
    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)
    expect(page.get_by_test_id("model-summary")).to_contain_text("your last trained model: 13-16-3")

    page.get_by_test_id("label-column").select_option("alcohol")  # the text labels are then one-hot, and said
    expect(status).to_contain_text("a number to predict (alcohol)", timeout=30_000)
    expect(status).to_contain_text("One-hot: “cultivar” (3 categories).")
    page.get_by_test_id("label-column").select_option("cultivar")
    expect(status).to_contain_text("3 classes (barbera, barolo, grignolino)", timeout=30_000)
    expect(status).not_to_contain_text("One-hot")
    expect(status).to_have_attribute("data-name", "cellar")
    page.get_by_role("button", name="Remove this dataset").click()
    expect(status).to_have_attribute("data-name", "digits", timeout=30_000)
    expect(page.get_by_test_id("dataset-select").locator("option[value='cellar']")).to_have_count(0)
    expect(status).to_contain_text("(cellar was removed from this browser.)")
    page.get_by_role("button", name="Undo: bring cellar back").click()  # one click removed it; one brings it back
    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)
    expect(page.get_by_test_id("label-column")).to_have_value("cultivar")
    expect(page.get_by_test_id("model-summary")).to_contain_text("13-16-3")
    page.reload()
    wait_until_ready(page)
    page.get_by_test_id("dataset-select").select_option("cellar")  # kept again
    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)


def test_the_label_column_and_the_task_can_be_chosen(page, live_server, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 2))
    rows = ["size,weight,kind"] + [f"{a:.4f},{b:.4f},{int(a + b > 0)}" for a, b in x]
    (tmp_path / "shapes.csv").write_text("\n".join(rows) + "\n")
    page.goto(live_server)
    wait_until_ready(page)
    use_csv(page, tmp_path / "shapes.csv")
    status = page.get_by_test_id("dataset-status")
    expect(status).to_contain_text("120 rows: 2 features, 2 classes (0, 1)", timeout=30_000)
    page.get_by_test_id("label-column").select_option("size")  # a number with many values: regression
    expect(status).to_contain_text("a number to predict (size)", timeout=30_000)
    expect(page.get_by_label("Output and loss")).to_have_value("identity:mse")
    # 120 different sizes as 120 classes of one row each: none could be held out to test on.
    page.get_by_test_id("csv-task").select_option("classification")
    expect(page.get_by_test_id("dataset-error")).to_contain_text(
        "'shapes' has 120 rows: holding out 0.25 of each class leaves no row to test on", timeout=30_000)
    expect(status).to_contain_text("a number to predict (size)")
    page.get_by_test_id("label-column").select_option("kind")
    page.get_by_test_id("csv-task").select_option("regression")
    expect(status).to_contain_text("a number to predict (kind)", timeout=30_000)
    train(page)
    expect(page.get_by_test_id("regression-metrics")).to_contain_text("R²")


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"a,b,label\n", "a header row but no data rows"),
    (b"a\n1\n2\n", "the file has one column"),
    (b"a,b,y\n1,2,x\n3,oops,y\n", "row 3, column 'b' (2): 'oops' is not a number"),
    (b"a,b,y\n1,2,x\n3,4\n", "row 3 has 2 fields, but the header has 3"),
    (b"a,b,y\n1,,x\n3,4,y\n", "row 2, column 'b' (2): the value is missing"),
    (b"a,b,y\n1,2,x\n3,4,x\n", "holds one class only"),
    (b"a,b\n\x81\x8d,1\n", "the file is not text"),
    (b"a,b,y\n1,2,x\n3\r4,5,y\n", "row 3: a line break (a lone carriage return) inside a field"),
    (b"a,b,y\n5,5,x\n5,5,y\n", "no feature varies"),
    (b"a,b,y\n1e309,2,x\n3,4,y\n", "row 2, column 'a' (1): '1e309' is not a finite number"),
])
def test_a_bad_csv_is_named_and_the_open_dataset_stays(page, live_server, tmp_path, content, message):
    open_dataset(page, live_server, "iris")
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    page.get_by_test_id("csv-upload").set_input_files(path)
    error, note = page.get_by_test_id("dataset-error"), page.get_by_test_id("csv-note")
    page.locator('[data-testid="dataset-error"]:not([hidden]), [data-testid="csv-note"]:not([hidden])').first.wait_for(
        timeout=30_000)
    if note.is_visible():  # the file splits into columns: its problem is said before it is used, and again on use
        expect(note).to_contain_text(message)
        page.get_by_role("button", name="Use this file").click()
    expect(error).to_contain_text("Could not use bad.csv: ", timeout=30_000)
    expect(error).to_contain_text(message)
    expect(error).to_contain_text("Iris flowers stays open.")
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "iris")
    expect(page.get_by_test_id("dataset-select")).to_have_value("iris")
    expect(page.get_by_test_id("model-summary")).to_contain_text("4-16-3")


def _limits_note(limits):
    """The page's sentence on what a CSV may hold, as Python's messages write the numbers."""
    return (f"Up to {limits['bytes'] // 2**20} MB, {limits['rows']:,} rows and {limits['columns']:,} columns. "
            f"A column of text with up to {limits['categories']} categories becomes one feature per category, "
            "1 in its rows and 0 elsewhere (one-hot); one with more is left out.")


def test_the_csv_limits_are_pythons_and_a_larger_file_is_refused_before_it_is_read(page, live_server, tmp_path):
    from mlp.config import schema

    limits = schema()["csv_limits"]
    page.goto(live_server)
    wait_until_ready(page)
    expect(page.get_by_test_id("csv-limits")).to_have_text(_limits_note(limits))
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(limits["bytes"] + 1)  # sparse: nothing is written, and the page reads nothing either
    page.get_by_test_id("csv-upload").set_input_files(path)
    error = page.get_by_test_id("dataset-error")
    expect(error).to_have_text(
        f"huge.csv is {(limits['bytes'] + 1) / 2**20:.1f} MB; a CSV may be at most {limits['bytes'] // 2**20} MB. "
        "Handwritten digits, 8x8 stays open.")
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "digits")


def test_the_page_takes_its_csv_limits_from_the_schema(page, live_server, tmp_path, site_dir):
    """A site whose schema said 1 MB would say so, and refuse a 2 MB file (which Python would read)."""
    served = json.loads((site_dir / "config-schema.json").read_text())
    served["csv_limits"] = {"bytes": 2**20, "rows": 1_234, "columns": 56, "categories": 7}
    page.route("**/config-schema.json", lambda route: route.fulfill(json=served))
    page.goto(live_server)
    wait_until_ready(page)
    expect(page.get_by_test_id("csv-limits")).to_have_text(_limits_note(served["csv_limits"]))
    path = tmp_path / "two.csv"
    path.write_text("a,b,label\n" + "1.5,2.5,x\n3.5,4.5,y\n" * 100_000)  # 2.0 MB
    page.get_by_test_id("csv-upload").set_input_files(path)
    expect(page.get_by_test_id("dataset-error")).to_have_text(
        f"two.csv is {path.stat().st_size / 2**20:.1f} MB; a CSV may be at most 1 MB. Handwritten digits, 8x8 stays open.")


def test_a_2d_set_regenerates_with_its_settings_and_the_link_keeps_them(page, live_server, site_dir):
    from mlp.planes import make_plane

    open_dataset(page, live_server, "circles")
    expect(page.get_by_test_id("plane-noise")).to_have_value("0")
    page.get_by_test_id("plane-n-points").fill("200")
    page.get_by_test_id("plane-noise").fill("0.3")
    page.get_by_test_id("plane-seed").fill("7")
    page.get_by_role("button", name="Regenerate").click()
    status = page.get_by_test_id("dataset-status")
    expect(status).to_contain_text("200 points", timeout=30_000)
    assert "n_points=200" in page.url and "noise=0.3" in page.url and "data_seed=7" in page.url
    page.reload()
    wait_until_ready(page)
    expect(status).to_contain_text("200 points: 2 features, 2 classes (orange, blue); 150 to train on, 50 held out.", timeout=60_000)
    expect(page.get_by_test_id("plane-noise")).to_have_value("0.3")
    expect(page.get_by_test_id("decision-boundary")).to_be_visible()
    reference = Session(make_plane("circles", 200, 0.3, 7))
    assert (len(reference.y_train), len(reference.y_test)) == (150, 50)
    page.get_by_test_id("plane-noise").fill("0.9")
    page.get_by_role("button", name="Regenerate").click()
    expect(page.get_by_test_id("dataset-error")).to_contain_text("Noise must be in [0, 0.5], got 0.9. The points stay as they are.")
    expect(status).to_contain_text("200 points")


def test_a_bad_number_of_classes_is_named_in_the_link_and_at_regenerate(page, live_server):
    page.goto(f"{live_server}#dataset=blobs&classes=9")
    wait_until_ready(page)
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("classes: must be in [3, 6], got 9; using the default.")
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-classes", "4", timeout=60_000)
    classes = page.get_by_test_id("plane-classes")
    classes.fill("7")
    page.get_by_role("button", name="Regenerate (Train does it first)").click()
    expect(page.get_by_test_id("dataset-error")).to_contain_text("Classes must be in [3, 6], got 7. The points stay as they are.")
    expect(status).to_have_attribute("data-classes", "4")
    classes.fill("3")
    page.get_by_role("button", name="Regenerate (Train does it first)").click()
    expect(status).to_contain_text("3 classes (orange, blue, green)", timeout=30_000)
    expect(page.get_by_test_id("plane-legend").get_by_role("listitem")).to_have_count(3)
    assert "classes=3" in page.url
    page.goto(f"{live_server}#dataset=spiral&classes=3")  # two spirals have two classes
    expect(status).to_have_attribute("data-name", "spiral", timeout=60_000)
    expect(notice).to_contain_text('classes: only for blobs and arms; "spiral" has its own; ignored.')
    expect(status).to_have_attribute("data-classes", "2")
    assert "classes=" not in page.url


def test_a_model_trained_with_4_classes_is_kept_when_5_are_asked_for_and_comes_back_at_4(page, live_server):
    page.goto(f"{live_server}#dataset=arms&epochs=3")
    wait_until_ready(page)
    status, classes = page.get_by_test_id("dataset-status"), page.get_by_test_id("plane-classes")
    expect(status).to_have_attribute("data-classes", "4", timeout=60_000)
    train(page)
    model = page.get_by_test_id("model-summary")
    classes.fill("5")
    page.get_by_role("button", name="Regenerate (Train does it first)").click()
    expect(status).to_have_attribute("data-classes", "5", timeout=30_000)
    expect(model).to_have_attribute("data-origin", "untrained network")  # 5 outputs: a fresh network
    classes.fill("4")
    page.get_by_role("button", name="Regenerate (Train does it first)").click()
    expect(status).to_have_attribute("data-classes", "4", timeout=30_000)
    expect(model).to_have_attribute("data-origin", "your last trained model")
    expect(page.get_by_test_id("model-message")).to_contain_text("Restored your last trained model")


def test_every_hidden_unit_shows_what_it_responds_to(page, live_server):
    open_dataset(page, live_server, "moons")
    units = page.get_by_test_id("hidden-units")
    expect(units).to_have_attribute("data-count", "64")  # 32 + 32 hidden units, the first 64 shown
    first = page.get_by_role("button", name="hidden layer 1, unit 1: enlarge or shrink")
    before = first.locator("canvas").evaluate("c => c.toDataURL()")
    page.get_by_role("button", name="Step one epoch").click()
    expect(page.get_by_test_id("decision-boundary")).to_have_attribute("data-epoch", "1", timeout=30_000)
    assert first.locator("canvas").evaluate("c => c.toDataURL()") != before  # redrawn as it learns
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    first.press("Enter")
    expect(first).to_have_attribute("aria-pressed", "false")
