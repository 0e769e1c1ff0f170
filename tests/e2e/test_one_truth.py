"""What the page says matches what it holds (first-time user issue): the form and the model on screen,
a visit without a link, numbers in the user's units and one minus sign, and what the outputs mean."""

import re

import pytest
from playwright.sync_api import expect

import mlp

from .conftest import wait_until_ready
from .test_datasets import open_dataset, train

pytestmark = pytest.mark.e2e


def _reopen_without_a_link(page, url):
    page.goto("about:blank")
    page.goto(url)
    wait_until_ready(page)


def test_a_visit_without_a_link_reopens_the_dataset_and_the_form_of_the_model_kept(page, live_server):
    open_dataset(page, live_server, "digits")
    page.get_by_role("button", name="The 2017 post").click()
    page.get_by_label("Epochs").fill("1")
    train(page)
    page.get_by_test_id("dataset-select").select_option("wine")
    page.locator('[data-testid="dataset-status"][data-name="wine"]').wait_for(timeout=60_000)

    _reopen_without_a_link(page, live_server)
    expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "wine")
    assert "dataset=wine" in page.url  # the page's address is a link to where it is

    page.get_by_test_id("dataset-select").select_option("digits")  # its kept model: the post's, 1 epoch
    expect(page.get_by_test_id("model-summary")).to_contain_text("your last trained model: 64-15-10")
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("15")  # the form shows the model's settings,
    expect(page.get_by_label("Output and loss")).to_have_value("sigmoid:published_mse")  # not the digits' preset
    expect(page.get_by_label("Epochs")).to_have_value("1")
    expect(page.get_by_test_id("settings-note")).to_be_hidden()


def test_the_form_says_where_it_differs_from_the_model_on_screen(page, live_server):
    open_dataset(page, live_server, "digits")  # the pretrained model, made with the Recommended settings
    note = page.get_by_test_id("settings-note")
    expect(note).to_be_hidden()
    page.get_by_label("Learning rate").fill("0.1")
    expect(note).to_be_visible()
    expect(note).to_contain_text("The model on screen was made with other settings. Learning rate: 0.004 (the form: 0.1).")
    for marked in (page.get_by_test_id("training-panel"), page.locator(".results-card"), page.get_by_test_id("network-diagram")):
        expect(marked).to_have_attribute("data-stale", "")
    page.get_by_role("button", name="Use the model's settings").click()
    expect(page.get_by_label("Learning rate")).to_have_value("0.004")
    expect(note).to_be_hidden()
    expect(page.get_by_test_id("training-panel")).not_to_have_attribute("data-stale", "")

    # A link's settings are what the link's author meant: they stay, and the form says how the model differs.
    page.goto(f"{live_server}#dataset=digits&hidden_layers=32&activations=tanh")
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("32")
    expect(note).to_contain_text("Hidden layers: 256 (the form: 32)")


def test_regression_reads_in_the_targets_units_with_values_on_the_scatters_axes(page, live_server, tmp_path):
    rows = ["rooms,area,price"] + [f"{r},{a},{150_000 + 40_000 * r + 900 * a + (-1) ** i * 20_000}"
                                   for i, (r, a) in enumerate((1 + i % 5, 40 + 7 * (i % 13)) for i in range(120))]
    (tmp_path / "houses.csv").write_text("\n".join(rows) + "\n")
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_test_id("csv-upload").set_input_files(tmp_path / "houses.csv")
    page.get_by_role("button", name="Use this file").click()
    expect(page.get_by_test_id("dataset-status")).to_contain_text("a number to predict (price)", timeout=30_000)
    page.get_by_label("Epochs").fill("40")
    train(page)
    metrics = page.get_by_test_id("regression-metrics")
    mae = float(metrics.get_attribute("data-mae"))
    expect(page.locator(".units-note")).to_contain_text("are in the units of price")
    shown = metrics.locator("dd").nth(1).text_content()
    assert "e" not in shown and float(shown.replace(",", "")) == pytest.approx(mae, rel=1e-3), shown
    if mae >= 1000:
        assert "," in shown, shown  # thousands separated, as prices are written
    ticks = [float(t) for t in page.get_by_test_id("prediction-scatter").get_attribute("data-ticks").split()]
    assert len(ticks) >= 3 and all(t % 10_000 == 0 for t in ticks), ticks  # round values in the target's units


def test_one_minus_sign_and_the_outputs_meaning(page, live_server):
    open_dataset(page, live_server, "digits")
    page.get_by_role("button", name="The 2017 post").click()
    hint = page.locator("#setting-loss-hint")
    expect(hint).to_contain_text("its gradient is wrong")
    page.get_by_label("Output and loss").select_option("sigmoid:mse")
    expect(hint).to_contain_text("the probabilities need not sum to 1")
    page.get_by_label("Epochs").fill("1")
    train(page)

    page.get_by_role("button", name="Show this step").click()
    step = page.get_by_test_id("inside-step")
    expect(step.locator(".eq-values").first).to_be_visible()
    numbers = " ".join(step.locator(".eq-values").all_text_contents())
    assert "\u2212" in numbers and not re.search(r"(^|[\s(,:e])-\d", numbers), numbers  # U+2212 only, exponents too
    expect(step).to_contain_text("the sample's inputs:")
    expect(step).not_to_contain_text("scaled")  # the post's preset does not scale its inputs

    page.get_by_role("button", name="Draw it on the pad").click()  # held-out digit 0 through the pad
    expect(page.get_by_test_id("prediction-confidence")).to_contain_text("the outputs are separate sigmoids, so they sum to")


def test_a_step_that_barely_changes_the_loss_says_so(page, live_server):
    open_dataset(page, live_server, "digits")  # the pretrained model fits training sample 0 almost exactly
    page.get_by_role("button", name="Show this step").click()
    expect(page.get_by_role("button", name="Take this step")).to_be_enabled()
    page.get_by_role("button", name="Take this step").click()
    result = page.get_by_test_id("step-result")
    expect(result).to_contain_text("One SGD step on this sample", timeout=30_000)
    before, after = float(result.get_attribute("data-before")), float(result.get_attribute("data-after"))
    text = result.text_content()
    shown = re.search(r"went from (\S+) to (\S+?)\.", text).groups()
    assert shown[0] != shown[1], text  # enough digits to see the change
    if before < 1e-3:
        assert "the model already fits this sample" in text
    assert after < before


def test_a_link_opened_in_the_open_page_applies_without_a_reload(page, live_server):
    open_dataset(page, live_server, "digits")
    page.evaluate("window.sameDocument = true")  # gone if the page reloaded
    page.evaluate("location.hash = '#dataset=spiral&noise=0.3&hidden_layers=8&activations=tanh'")  # as a followed link
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "spiral", timeout=60_000)
    expect(page.get_by_test_id("plane-noise")).to_have_value("0.3")
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("8")
    expect(page.locator("#layer-0-activation")).to_have_value("tanh")
    assert page.evaluate("window.sameDocument") is True
    assert "noise=0.3" in page.url

    page.evaluate("location.hash = location.hash.replace('hidden_layers=8', 'hidden_layers=12')")  # settings alone
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("12")
    page.evaluate("location.hash = '#dataset=nonsense'")
    expect(page.get_by_test_id("notice")).to_contain_text('dataset "nonsense" is not one of the datasets')
    expect(status).to_have_attribute("data-name", "spiral")


def test_train_asks_before_replacing_a_model_you_would_miss(page, live_server, tmp_path):
    open_dataset(page, live_server, "digits")
    page.get_by_role("button", name="The 2017 post").click()
    page.get_by_label("Epochs").fill("1")
    train(page)
    train(page)  # this visit's own run: replaced without a question
    _reopen_without_a_link(page, live_server)  # now it is "your last trained model", from an earlier visit
    panel, message = page.get_by_test_id("training-panel"), page.get_by_test_id("training-message")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(message).to_contain_text("Train would replace your last trained model, which is not exported: it would be lost.")
    expect(panel).to_have_attribute("data-state", "idle")
    with page.expect_download() as download:
        message.get_by_role("button", name="Export it first").click()
    download.value.save_as(tmp_path / "kept.json")
    assert mlp.load(tmp_path / "kept.json").dimensions == (64, 15, 10)
    train(page)  # exported: safe to replace, no question
    expect(message).to_contain_text("Training finished")

    page.get_by_test_id("import-model").set_input_files(tmp_path / "kept.json")
    expect(page.get_by_test_id("model-message")).to_contain_text("Imported kept.json", timeout=30_000)
    page.get_by_role("button", name="Step one epoch").click()
    expect(message).to_contain_text("Step one epoch would replace imported kept.json")
    message.get_by_role("button", name="Replace it").click()
    expect(page.get_by_test_id("progress-text")).to_contain_text("Epoch 1 of 1", timeout=60_000)


def test_typed_noise_is_what_train_uses_and_the_link_then_carries(page, browser, live_server):
    """The teacher's path: spiral, noise 0.3 typed, Train; the link brings the same points to a fresh tab."""
    open_dataset(page, live_server, "spiral")
    regenerate = page.get_by_role("button", name=re.compile("^Regenerate"))
    expect(regenerate).to_have_text("Regenerate")
    page.get_by_test_id("plane-noise").fill("0.3")
    expect(regenerate).to_have_text("Regenerate (Train does it first)")  # pending, said where it is
    page.get_by_label("Epochs").fill("5")
    train(page)
    expect(regenerate).to_have_text("Regenerate")
    assert "noise=0.3" in page.url

    context = browser.new_context()  # a fresh tab of another browser profile: only the link carries the settings
    fresh = context.new_page()
    fresh.goto(page.url)
    wait_until_ready(fresh)
    expect(fresh.get_by_test_id("dataset-status")).to_have_attribute("data-name", "spiral")
    expect(fresh.get_by_test_id("plane-noise")).to_have_value("0.3")
    expect(fresh.get_by_label("Epochs")).to_have_value("5")
    expect(fresh.get_by_role("button", name=re.compile("^Regenerate"))).to_have_text("Regenerate")  # these points are 0.3's
    context.close()


def test_a_tables_first_layer_weights_name_their_inputs_and_say_what_the_colours_mean(page, live_server, site_dir):
    open_dataset(page, live_server, "wine")
    names = page.get_by_test_id("weights-grid").locator(".weights-inputs li")
    expect(names).to_have_text(mlp.read_dataset(site_dir / "data", "wine").feature_names)
    weights = page.get_by_test_id("weights-grid").get_by_role("img")
    expect(weights).to_have_attribute("aria-label", re.compile(r"^First-layer weights: \d+ hidden units across, 13 inputs down \(alcohol, "))
    expect(page.get_by_test_id("weights-legend")).to_contain_text("orange: negative · white: zero · blue: positive")
    # The same colours as the diagram's: a unit's largest positive weight is drawn in its blue.
    assert weights.evaluate("""canvas => {
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === 8 && pixels[i + 1] === 119 && pixels[i + 2] === 189) return true;
      return false;
    }""")


@pytest.mark.parametrize("dataset", ["breast_cancer", "diabetes"])
def test_the_diagrams_names_fit_inside_it(page, live_server, dataset):
    """Long feature and target names are drawn whole, or shortened with an ellipsis, never cut by the diagram's edge."""
    open_dataset(page, live_server, dataset)
    diagram = page.get_by_test_id("network-diagram").locator("svg")
    expect(diagram.locator(".node-label").first).to_be_visible()
    outside = diagram.evaluate("""svg => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll(".node-label")].filter((label) => {
        const b = label.getBoundingClientRect();
        return b.left < box.left - 0.5 || b.right > box.right + 0.5;
      }).map((label) => label.textContent);
    }""")
    assert outside == []
