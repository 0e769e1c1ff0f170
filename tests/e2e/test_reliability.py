"""Faults and bad input in the page: clear messages where the user looks, and nothing lost."""

import json
import re

import pytest
from playwright.sync_api import expect

import build
import mlp
from mlp import Network

from ..strokes import DIGIT_STROKES
from .conftest import open_ready, wait_until_ready
from .test_drawing_pad import draw_with_mouse

pytestmark = pytest.mark.e2e

SMALL = "#hidden_layers=16&activations=relu&epochs=2&augment=false&seed=5"
NUMPY = f"pyodide/{build.NUMPY_WHEEL}"


def status(page):
    return page.get_by_test_id("runtime-status")


@pytest.mark.parametrize(
    "path, fault, named",
    [
        ("pyodide/python_stdlib.zip", "404", "python_stdlib.zip"),
        (NUMPY, "abort", "numpy"),
        ("wheels/*.whl", "truncate", "mlp_from_scratch"),
        ("data/digits.bin", "corrupt", "corrupted"),
        ("pyodide/pyodide.asm.wasm", "mime", "application/wasm"),
    ],
)
def test_a_runtime_file_that_fails_names_itself_and_retry_recovers(page, live_server, path, fault, named):
    broken = {"on": True}

    def handle(route):
        if not broken["on"]:
            return route.continue_()
        if fault == "404":
            return route.fulfill(status=404, body="gone")
        if fault == "abort":
            return route.abort("connectionreset")
        response = route.fetch(headers={**route.request.headers, "accept-encoding": "identity"})
        body = response.body()
        if fault == "truncate":
            return route.fulfill(response=response, body=body[: len(body) // 2])
        if fault == "corrupt":
            return route.fulfill(response=response, body=body[:-1] + bytes([body[-1] ^ 0xFF]))
        headers = {**response.headers, "content-type": "text/plain"}
        return route.fulfill(response=response, headers=headers)

    page.route(f"**/{path}", handle)
    page.goto(live_server)
    expect(status(page)).to_have_attribute("data-state", "error", timeout=60_000)
    expect(page.get_by_role("alert")).to_contain_text(named)
    broken["on"] = False
    page.get_by_role("button", name="Retry").click()
    wait_until_ready(page)


def test_a_crashed_worker_is_restarted_and_the_saved_model_restored(page, live_server):
    open_ready(page, live_server + SMALL)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-message")).to_contain_text("kept in this browser", timeout=120_000)
    page.get_by_label("Epochs").fill("500")
    page.get_by_role("button", name="Train", exact=True).click()
    panel = page.get_by_test_id("training-panel")
    expect(panel).to_have_attribute("data-state", "running")
    page.workers[0].evaluate("setTimeout(() => { throw new Error('simulated crash'); }, 0)")
    expect(status(page)).to_have_attribute("data-state", "error", timeout=10_000)
    expect(panel).not_to_have_attribute("data-state", re.compile("running|stopping"))
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()
    page.get_by_role("button", name="Retry").click()
    wait_until_ready(page)
    expect(page.get_by_test_id("model-summary")).to_contain_text("your last trained model: 64-16-10")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()


BAD_NUMBERS = ["", "-1", "0", "1e309", "NaN", "abc", "99999999", "2.5"]
# field label -> (a good value, the "bad" inputs that are in fact allowed for it)
FIELDS = {
    "Learning rate": ("0.01", {"2.5"}),
    "L2 weight decay": ("0", {"0"}),
    "Batch size": ("32", set()),
    "Epochs": ("3", set()),
    "Held-out fraction": ("0.25", set()),
    "Seed": ("1", {"0", "99999999"}),
}


@pytest.mark.parametrize("label", sorted(FIELDS))
def test_every_number_field_rejects_bad_values_next_to_the_control(page, live_server, label):
    good, allowed = FIELDS[label]
    open_ready(page, live_server)
    field = page.get_by_label(label, exact=True)
    train = page.get_by_role("button", name="Train", exact=True)
    error_slot = page.locator(f'[data-error-for="{field.get_attribute("name")}"]')
    for value in BAD_NUMBERS:
        field.fill(value)
        if value in allowed:
            expect(train).to_be_enabled()
            continue
        expect(error_slot).not_to_be_empty()
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(train).to_be_disabled()
    field.fill(good)
    expect(error_slot).to_be_empty()
    expect(train).to_be_enabled()


def test_a_huge_network_is_refused_with_the_limit(page, live_server):
    open_ready(page, live_server)
    for _ in range(5):
        page.get_by_role("button", name="Add layer").click()
    for i in range(6):
        page.get_by_label(f"Hidden layer {i + 1} width").fill("512")
    expect(page.locator('[data-error-for="hidden_layers"]')).to_contain_text("over the limit of 1,000,000")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_disabled()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG not json at all", "not valid JSON"),
        (b'{"format": "mlp-from-scratch/model", "version": 9}', "version 9"),
        (b"[" * 100_000, "nested more than 32 levels"),
        (b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "nested more than 32 levels"),
        (json.dumps({"hello": "<img src=x onerror=window.__xss=1>"}).encode(), "format"),
    ],
)
def test_bad_model_files_are_refused_and_the_model_kept(page, live_server, tmp_path, content, message):
    open_ready(page, live_server)
    path = tmp_path / "model.json"
    path.write_bytes(content)
    page.get_by_test_id("import-model").set_input_files(path)
    expect(page.get_by_test_id("model-message")).to_contain_text(message)
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")


def test_a_model_trained_on_other_data_is_refused_by_name(page, live_server, tmp_path):
    """A model file records its dataset: one made for 5 features and 3 classes is not loaded into the digits page."""
    import numpy as np

    from mlp.data import Dataset
    from mlp.session import Session

    rng = np.random.default_rng(0)
    toy = Dataset(rng.uniform(-1, 1, (60, 5)), rng.integers(0, 3, 60), name="toy", classes=["a", "b", "c"],
                  feature_range=[-1, 1])
    session = Session(toy, {"hidden_layers": [4], "augment": False})
    session.reset()
    (tmp_path / "toy.json").write_text(session.export_model())
    open_ready(page, live_server)
    page.get_by_test_id("import-model").set_input_files(tmp_path / "toy.json")
    expect(page.get_by_test_id("model-message")).to_contain_text(
        "this model was made for 'toy' (5 inputs, 3 outputs), not for 'digits' (64 inputs, 10 outputs)"
    )
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")


def test_markup_in_a_model_file_is_shown_as_text_never_run(page, live_server, site_dir, tmp_path):
    doc = json.loads((site_dir / "models" / "pretrained.json").read_text())
    payload = "<img src=x onerror=window.__xss=1>"
    doc["metadata"] = {"name": payload, "note": payload}
    doc["classes"] = [payload] * 10
    doc["activations"] = [payload, "softmax"]
    (tmp_path / "evil.json").write_text(json.dumps(doc))
    open_ready(page, live_server)
    page.get_by_test_id("import-model").set_input_files(tmp_path / "evil.json")
    expect(page.get_by_test_id("model-message")).to_contain_text(payload)  # echoed as text
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0


def test_a_50_mb_file_is_refused_before_it_is_read(page, live_server, tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    open_ready(page, live_server)
    page.get_by_test_id("import-model").set_input_files(big)
    expect(page.get_by_test_id("model-message")).to_contain_text("at most 20 MB")
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model")


def test_damaged_storage_is_discarded_with_a_notice(page, live_server):
    open_ready(page, live_server)
    page.evaluate("""() => {
        localStorage.setItem('mlp-from-scratch.model.v1', '{"format": "mlp-from-scratch/model", "dimensions": [');
        localStorage.setItem('mlp-from-scratch.personal-digits.v1', '[{"input": "nope"}]');
    }""")
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model")
    expect(page.get_by_test_id("model-message")).to_contain_text("discarded")
    expect(page.get_by_test_id("teach-message")).to_contain_text("discarded")
    expect(page.get_by_test_id("personal-count")).to_have_attribute("data-value", "0")


def test_a_full_storage_quota_is_reported_and_nothing_else_breaks(page, live_server):
    page.add_init_script("""
        Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };
    """)
    open_ready(page, live_server + SMALL)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    expect(page.get_by_test_id("model-message")).to_contain_text("QuotaExceededError")
    draw_with_mouse(page, DIGIT_STROKES[7])
    expect(page.get_by_test_id("prediction")).to_have_attribute("data-value", "7")
    page.get_by_role("button", name="Add to my digits").click()
    expect(page.get_by_test_id("teach-message")).to_contain_text("could not be kept")
    expect(page.get_by_test_id("personal-count")).to_have_attribute("data-value", "1")  # kept for this visit


def test_an_import_too_large_to_keep_says_it_is_kept_for_this_visit_only(page, live_server, tmp_path):
    """About 12 MB of model file: over what this browser keeps (localStorage), under the import limit."""
    big = Network((64, 512, 512, 512, 10), ("relu", "relu", "relu", "softmax"), seed=0)
    path = tmp_path / "big.json"
    mlp.save(big, path)
    open_ready(page, live_server)
    page.get_by_test_id("import-model").set_input_files(path)
    message = page.get_by_test_id("model-message")
    expect(message).to_contain_text("Imported big.json, for this visit only.", timeout=60_000)
    expect(message).to_contain_text("could not be kept for the next visit")
    expect(page.get_by_test_id("model-summary")).to_contain_text("64-512-512-512-10")
