"""Your code in the page: the running Python in a real editor, run in the worker, refereed by the gradient check."""

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp import usercode
from mlp.activations import Activation, register_activation, restore_activations

from .conftest import open_ready, wait_until_ready

pytestmark = pytest.mark.e2e


def show_code(page, piece="activation"):
    """In the open page, show a piece's code in the editor; returns the code view."""
    card = page.get_by_test_id("code-view")
    card.get_by_label("Piece").select_option(piece)
    card.get_by_role("button", name="Show the code").click()
    expect(card.locator(".cm-content")).to_be_visible()
    return card


def open_code(page, url, piece="activation"):
    open_ready(page, url)
    return show_code(page, piece)


def type_code(card, text):
    """Replace the editor's text, as a learner would: select all, then type."""
    card.locator(".cm-content").click()
    card.page.keyboard.press("Control+a")
    card.page.keyboard.insert_text(text)


def run(card):
    result = card.page.get_by_test_id("gradcheck-result")
    result.evaluate("node => { delete node.dataset.maxError; }")
    card.get_by_role("button", name="Run my code").click()
    expect(card).to_have_attribute("data-state", "idle", timeout=60_000)
    return result.get_attribute("data-max-error")


def test_the_editor_shows_the_running_source(page, live_server):
    card = open_code(page, live_server, "backprop")
    expect(card.locator(".cm-content")).to_contain_text("def backprop(self, x, y, loss, l2=0.0):")
    expect(card.locator(".cm-lineNumbers")).to_be_visible()
    assert card.locator(".cm-content").get_attribute("aria-label").startswith("Python code editor")


def test_the_2017_bug_fails_the_check_and_the_original_passes(page, live_server):
    card = open_code(page, live_server, "loss")
    card.get_by_role("button", name="Show the 2017 bug").click()
    expect(card.locator(".cm-content")).to_contain_text("self.activation_fn.prime(a)")
    assert float(run(card)) > 1e-3
    expect(page.get_by_test_id("code-message")).to_contain_text("fails the gradient check")
    card.get_by_role("button", name="Restore original").click()
    expect(card.locator(".cm-content")).not_to_contain_text("self.activation_fn.prime(a)")
    expect(page.get_by_test_id("gradcheck-result")).to_be_empty()  # the failing table was the bug's
    assert float(run(card)) < 1e-6


def test_swish_passes_is_offered_trains_and_exports(page, live_server, tmp_path):
    card = open_code(page, live_server)
    card.get_by_role("button", name="New activation: Swish").click()
    assert float(run(card)) < 1e-6
    expect(page.get_by_test_id("code-message")).to_contain_text("is now a choice for every hidden layer")
    page.get_by_label("Hidden layer 1 width").fill("16")
    page.locator("#layer-0-activation").select_option("swish")
    page.get_by_label("Epochs", exact=True).fill("2")
    page.get_by_label("Warped copies of each training image", exact=False).fill("0")
    panel = page.get_by_test_id("training-panel")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel).to_have_attribute("data-state", "finished", timeout=120_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    path = tmp_path / "swish.json"
    info.value.save_as(path)
    assert json.loads(path.read_text())["activations"] == ["swish", "softmax"]
    with pytest.raises(ValueError, match="'swish' is not built in: a model that uses it needs its code"):
        mlp.load(path)
    namespace = {}
    exec(usercode.SWISH, {"np": np, "Activation": Activation}, namespace)
    try:
        register_activation(namespace["Swish"])
        model = mlp.load(path)
        assert model.activations[0].name == "swish"
        accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
        assert accuracy > 0.8
    finally:
        restore_activations()


@pytest.mark.parametrize("text, line, message", [
    ("class Relu(Activation):\n    name = 'relu'\n    def activation(z out=None):\n        pass\n", 3, "SyntaxError"),
    ("x = 1\ny = [0][x]\n", 2, "IndexError"),
    ("class Relu(Activation):\n    name = 'relu'\n\n    @staticmethod\n    def activation(z, out=None):\n"
     "        return z[0]\n\n    @staticmethod\n    def prime(z, a=None):\n        return z > 0\n",
     5, "must return an array of z's shape"),
])
def test_broken_code_is_marked_at_its_line_and_the_model_is_kept(page, live_server, text, line, message):
    card = open_code(page, live_server)
    summary = page.get_by_test_id("model-summary").inner_text()
    type_code(card, text)
    run(card)
    expect(page.get_by_test_id("code-message")).to_contain_text(message)
    expect(page.get_by_test_id("code-message")).to_contain_text("The model is unchanged")
    assert card.get_attribute("data-error-line") == ("" if line is None else str(line))
    if line is not None:
        expect(card.locator(".cm-lintRange-error")).to_have_count(1)
    assert page.get_by_test_id("model-summary").inner_text() == summary
    page.get_by_role("button", name="Check the gradients").click()  # Python still answers, with the shipped ReLU
    expect(page.get_by_test_id("gradcheck-result")).to_contain_text("Backprop is correct")


def test_an_endless_loop_stops_and_the_page_goes_on(page, live_server):
    card = open_code(page, live_server)
    type_code(card, "while True:\n    pass\n")
    card.get_by_role("button", name="Run my code").click()
    expect(card).to_have_attribute("data-state", "running")
    page.wait_for_timeout(500)
    # The Flask server is cross-origin isolated: SIGINT ends the loop. (Had the interrupt landed while
    # Python was still busy with the page's start-up calls, the page would restart Python after 3 s.)
    card.get_by_role("button", name="Stop my code").click()
    expect(card).to_have_attribute("data-state", "idle", timeout=20_000)
    expect(page.get_by_test_id("code-message")).to_contain_text(re.compile("stopped|restarted"), timeout=60_000)
    wait_until_ready(page)
    page.get_by_role("button", name="Check the gradients").click()
    expect(page.get_by_test_id("gradcheck-result")).to_contain_text("Backprop is correct")


def _weights(page, path):
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(path)
    return json.loads(path.read_text())["weights"]


def test_an_endless_loop_without_isolation_restarts_python_and_keeps_the_model(page, pages_server, tmp_path):
    card = open_code(page, pages_server)
    before = _weights(page, tmp_path / "before.json")
    type_code(card, "while True:\n    pass\n")
    card.get_by_role("button", name="Run my code").click()
    expect(card).to_have_attribute("data-state", "running")
    card.get_by_role("button", name="Stop my code").click()  # no SharedArrayBuffer here: a restart
    expect(page.get_by_test_id("code-message")).to_contain_text("restarting")
    expect(page.locator('[data-testid="runtime-status"][data-state="ready"]')).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("code-message")).to_contain_text("Python restarted after Stop", timeout=30_000)
    expect(card).to_have_attribute("data-state", "idle")
    assert _weights(page, tmp_path / "after.json") == before


def test_edited_code_is_kept_across_reloads_never_run_and_never_in_links(page, live_server):
    card = open_code(page, live_server)
    type_code(card, "# my version\n" + usercode.source("activation"))
    assert "my version" not in page.url and "code" not in page.url.partition("#")[2]
    page.reload()
    card = open_code(page, live_server)
    expect(card.locator(".cm-content")).to_contain_text("# my version")
    expect(page.get_by_test_id("code-message")).to_contain_text("It has not run")
    assert page.get_by_test_id("gradcheck-result").inner_text() == ""


def test_an_error_in_your_code_while_training_is_shown_at_its_line(page, live_server):
    card = open_code(page, live_server)
    shipped = "        return np.maximum(z, 0.0, out=out)\n"
    type_code(card, usercode.source("activation").replace(
        shipped, "        if len(z) > 12:  # a full batch, not the check's small input\n            z[0, 0] = 1 / 0\n" + shipped))
    assert float(run(card)) < 1e-6
    line = 1 + usercode.source("activation").split(shipped)[0].count("\n") + 1
    page.get_by_label("Epochs", exact=True).fill("1")
    page.get_by_role("button", name="Train", exact=True).click()
    message = page.get_by_test_id("training-message")
    expect(message).to_contain_text("ZeroDivisionError", timeout=60_000)
    expect(message).to_contain_text(f"line {line}")
    expect(card).to_have_attribute("data-error-line", str(line))
    expect(page.get_by_test_id("training-panel")).not_to_have_attribute("data-state", "running")
    card.get_by_role("button", name="Restore original").click()
    expect(page.get_by_test_id("code-message")).to_contain_text("shipped code is back")
    page.get_by_role("button", name="Train", exact=True).click()  # the shipped ReLU trains again
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)


def test_a_stdlib_module_the_start_never_loads_is_fetched_when_code_first_imports_it(page, live_server, tmp_path):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith("/python_stdlib_rest.zip") else None)
    open_ready(page, live_server + "#hidden_layers=16&epochs=1&augment=false&warps=0")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(tmp_path / "model.json")
    card = show_code(page)
    assert fetched == []  # starting, training, exporting and showing the code need none of it
    code = usercode.SWISH.replace('    name = "swish"', '    name = "swish"\n    scale = statistics.fmean([1.0, 1.0])')
    type_code(card, "import statistics\n\n" + code.replace("return np.multiply(z, s,", "return np.multiply(Swish.scale * z, s,"))
    assert float(run(card)) < 1e-6
    assert len(fetched) == 1
    type_code(card, "import statistics, fractions\n\n" + code)  # the archive is on sys.path now: no second fetch
    assert float(run(card)) < 1e-6
    assert len(fetched) == 1


def test_a_model_comes_back_with_the_code_it_was_made_with_which_runs_only_on_a_click(page, live_server, tmp_path):
    card = open_code(page, live_server)
    card.get_by_role("button", name="New activation: Swish").click()
    assert float(run(card)) < 1e-6
    page.get_by_label("Hidden layer 1 width").fill("16")
    page.locator("#layer-0-activation").select_option("swish")
    page.get_by_label("Epochs", exact=True).fill("2")
    page.get_by_label("Warped copies of each training image", exact=False).fill("0")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    accuracy = page.get_by_test_id("test-accuracy").get_attribute("data-value")
    path = tmp_path / "swish.json"
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(path)
    assert json.loads(path.read_text())["metadata"]["code"] == {"activation": usercode.SWISH}

    # A reload: the model cannot be used before its code runs, so it waits, kept, and its code is shown, not run.
    page.reload()
    wait_until_ready(page)
    offer = page.get_by_test_id("model-code-offer")
    expect(offer).to_contain_text("Your last trained model needs the code it was made with (activation; it uses “swish”, which is not built in)")
    expect(page.get_by_test_id("model-summary")).to_have_attribute("data-origin", "pretrained model")
    expect(card.locator(".cm-content")).to_contain_text("class Swish(Activation):")
    expect(page.get_by_test_id("code-message")).to_contain_text("It has not run")
    expect(page.locator("#layer-0-activation option[value=swish]")).to_have_count(0)  # Python never saw it
    offer.get_by_role("button", name="Run its code and use the model").click()
    expect(page.get_by_test_id("model-message")).to_contain_text("Its code runs again, and the model is back.", timeout=60_000)
    expect(page.get_by_test_id("model-summary")).to_have_attribute("data-origin", "your last trained model")
    expect(page.get_by_test_id("test-accuracy")).to_have_attribute("data-value", accuracy)
    expect(offer).to_be_hidden()
    expect(page.get_by_test_id("code-message")).to_contain_text("Your swish passes the gradient check")

    # A file that needs its code, imported where that code has not run: it names the missing piece, and waits.
    page.get_by_role("button", name="Use the pretrained model").click()
    expect(page.get_by_test_id("model-message")).to_contain_text("Back to the pretrained model.")
    page.reload()
    wait_until_ready(page)
    expect(offer).to_be_hidden()
    page.get_by_test_id("import-model").set_input_files(path)
    expect(page.get_by_test_id("model-message")).to_contain_text("swish.json cannot be used before its code runs. The current model is kept.")
    expect(offer).to_contain_text("swish.json needs the code it was made with (activation; it uses “swish”")
    expect(page.get_by_test_id("model-summary")).to_have_attribute("data-origin", "pretrained model")
    offer.get_by_role("button", name="Run its code and use the model").click()
    expect(page.get_by_test_id("model-summary")).to_have_attribute("data-origin", "imported swish.json", timeout=60_000)
    expect(page.get_by_test_id("test-accuracy")).to_have_attribute("data-value", accuracy)


def test_the_posts_student_looks_inside_a_step_and_swish_passes_on_the_posts_model(page, live_server):
    """The student following the 2017 post: its model, one step inside it, then Swish, refereed with a correct loss."""
    open_ready(page, live_server)
    page.get_by_role("button", name="The 2017 post").click()  # 64-15-10, sigmoid output, the post's MSE
    page.get_by_label("Epochs", exact=True).fill("1")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    page.get_by_role("button", name="Show this step").click()
    expect(page.get_by_test_id("eq-delta-published")).to_be_visible()  # the post's output delta, beside the correct one

    card = show_code(page)
    card.get_by_role("button", name="New activation: Swish").click()
    assert float(run(card)) < 1e-6  # on the post's model, whose own loss fails the check
    message = page.get_by_test_id("code-message")
    expect(message).to_contain_text("Your swish passes the gradient check")
    expect(message).to_contain_text("The check used mse, not the model's published_mse")
    result = page.get_by_test_id("gradcheck-result")
    expect(result.locator("caption")).to_have_text(
        "Relative error of backprop vs finite differences: your swish's gradient, checked with the mse loss")
    card.get_by_role("button", name="Restore original").click()
    expect(result).to_be_empty()  # the table was Swish's
    page.get_by_role("button", name="Check the gradients").click()
    expect(result).to_contain_text("checked with the published_mse loss")  # the page's own check still flags the post's loss
    expect(result.locator(".verdict")).to_contain_text("is wrong")
