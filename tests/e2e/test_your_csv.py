"""A data scientist brings their own CSV: the label first, a text feature, a column to ignore, all chosen before
the file is used; trained in the page; its model file read back by CPython, which scores it the same."""

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp.csvfile import read_csv
from mlp.session import Session

from .conftest import wait_until_ready
from .test_datasets import export, train
from .test_layout import LAPTOP, OVERFLOWS, PHONE

pytestmark = pytest.mark.e2e


def wine_first(path, region=True):
    """The wine data with its text label, the cultivar, first; with ``region``, a text feature (four regions,
    drawn with seed 0) after it; the numbers last, ``proline`` the last column."""
    from sklearn.datasets import load_wine

    bunch = load_wine()
    names = ["barolo", "grignolino", "barbera"]
    regions = np.random.default_rng(0).choice(["Langhe", "Roero", "Monferrato", "Asti"], len(bunch.target))
    head = ["cultivar", *(["region"] if region else []), *bunch.feature_names]
    lines = [",".join(head)]
    lines += [",".join([names[t], *([r] if region else []), *map(str, row)])
              for row, t, r in zip(bunch.data, bunch.target, regions, strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_label_first_csv_with_a_text_feature_is_chosen_before_use_trained_and_scored_the_same_in_cpython(
        page, live_server, tmp_path):
    path = wine_first(tmp_path / "cellar.csv")
    page.goto(live_server)
    wait_until_ready(page)
    status = page.get_by_test_id("dataset-status")
    page.get_by_test_id("csv-upload").set_input_files(path)
    # Not used yet: the choices come first, and the digits stay open meanwhile.
    note = page.get_by_test_id("csv-note")
    expect(note).to_contain_text("cellar.csv is not used yet", timeout=30_000)
    expect(page.get_by_role("button", name="Use this file")).to_be_visible()
    expect(status).to_have_attribute("data-name", "digits")
    label = page.get_by_test_id("label-column")
    expect(label).to_have_value("proline")  # two text columns: nothing to offer, the last column
    columns = page.get_by_test_id("csv-columns")
    expect(columns).to_contain_text("region(text, 4 categories: one-hot)")
    expect(columns).to_contain_text("cultivar(text, 3 categories: one-hot)")
    label.select_option("cultivar")
    expect(columns).not_to_contain_text("cultivar(")
    expect(columns).to_contain_text("proline(numbers)")
    page.get_by_label("magnesium").uncheck()
    page.get_by_role("button", name="Use this file").click()

    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)
    expect(status).to_contain_text("178 rows: 16 features, 3 classes (barbera, barolo, grignolino)")
    expect(status).to_contain_text("One-hot: “region” (4 categories). Left out: “magnesium”.")
    expect(note).to_be_hidden()
    expect(page.get_by_role("button", name="Use this file")).to_be_hidden()
    expect(page.get_by_label("magnesium")).not_to_be_checked()
    train(page)
    shown = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    assert shown > 0.85
    model = export(page, tmp_path / "cellar-model.json")

    # CPython: the model file says how the rows were read; the same file, split and model give the same score.
    assert model.dataset["csv"] == {"name": "cellar", "label": "cultivar", "task": "classification",
                                    "ignore": ["magnesium"],
                                    "encode": {"region": ["Asti", "Langhe", "Monferrato", "Roero"]}}
    dataset = read_csv(path, **model.dataset["csv"])
    assert dataset.feature_names[:4] == ["region=Asti", "region=Langhe", "region=Monferrato", "region=Roero"]
    session = Session(dataset, model.metadata["config"])
    session.use_network(model)
    assert session.evaluate()["accuracy"] == shown
    assert mlp.load(tmp_path / "cellar-model.json").n_inputs == 16


def test_the_only_text_column_first_is_offered_as_the_label_and_said(page, live_server, tmp_path):
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_test_id("csv-upload").set_input_files(wine_first(tmp_path / "wines.csv", region=False))
    note = page.get_by_test_id("csv-note")
    expect(note).to_contain_text("The label is 'cultivar', the first column and the only one of text", timeout=30_000)
    expect(page.get_by_test_id("label-column")).to_have_value("cultivar")
    # A column unticked, then chosen as the label and back: it is a feature again, not one to ignore.
    page.get_by_label("alcohol").uncheck()
    page.get_by_test_id("label-column").select_option("alcohol")
    page.get_by_test_id("label-column").select_option("cultivar")
    expect(page.get_by_label("alcohol")).to_be_checked()
    page.get_by_test_id("csv-task").select_option("classification")
    page.get_by_role("button", name="Use this file").click()
    status = page.get_by_test_id("dataset-status")
    expect(status).to_contain_text("178 rows: 13 features, 3 classes (barbera, barolo, grignolino)", timeout=30_000)
    # After use, a choice reads the file again at once: the last column as a number to predict.
    page.get_by_test_id("csv-task").select_option("")  # first: proline as 121 classes would be slow to show
    expect(page.get_by_test_id("csv-task")).to_be_enabled(timeout=30_000)
    page.get_by_test_id("label-column").select_option("proline")
    expect(page.get_by_test_id("dataset-error")).to_be_hidden()
    expect(page.get_by_test_id("label-column")).to_have_value("proline")
    expect(status).to_contain_text("a number to predict (proline)", timeout=30_000)
    expect(status).to_contain_text("One-hot: “cultivar” (3 categories).")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "360x740"])
def test_the_choices_fit_their_card_and_a_crowded_text_column_cannot_be_ticked(browser, live_server, tmp_path,
                                                                                viewport):
    from mlp.csvfile import MAX_CATEGORIES

    n = MAX_CATEGORIES + 5
    rows = ["customer_name_as_written_on_the_invoice_of_the_first_order,town,spend,churned"]
    rows += [f"person {i},{'abc'[i % 3]},{i * 1.5},{i % 2}" for i in range(n)]
    (tmp_path / "shop.csv").write_text("\n".join(rows) + "\n")
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(live_server)
        wait_until_ready(page)
        page.get_by_test_id("csv-upload").set_input_files(tmp_path / "shop.csv")
        expect(page.get_by_test_id("csv-note")).to_contain_text("shop.csv is not used yet", timeout=30_000)
        crowded = page.get_by_label("customer_name_as_written_on_the_invoice_of_the_first_order")
        expect(crowded).to_be_disabled()
        expect(crowded).not_to_be_checked()
        expect(page.get_by_test_id("csv-columns")).to_contain_text(
            f"(text, {n} values: more than {MAX_CATEGORIES}, left out)")
        assert page.evaluate(OVERFLOWS) == []
        page.get_by_role("button", name="Use this file").click()
        status = page.get_by_test_id("dataset-status")
        expect(status).to_contain_text("One-hot: “town” (3 categories). Left out: “customer_name_as_written",
                                       timeout=30_000)
        assert page.evaluate(OVERFLOWS) == []
    finally:
        page.close()


def test_the_choices_are_clean_for_axe_and_usable_by_keyboard(browser, live_server, axe_source, tmp_path):
    from .test_accessibility import _serious_violations

    context = browser.new_context(bypass_csp=True)  # axe is injected by the test
    page = context.new_page()
    try:
        page.goto(live_server)
        wait_until_ready(page)
        page.get_by_test_id("csv-upload").set_input_files(wine_first(tmp_path / "cellar.csv"))
        use = page.get_by_role("button", name="Use this file")
        expect(use).to_be_focused(timeout=30_000)  # the next step, once the choices are shown
        assert _serious_violations(page, axe_source, ".dataset-card") == []
        page.get_by_label("hue").focus()
        page.keyboard.press("Space")
        expect(page.get_by_label("hue")).not_to_be_checked()
        use.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("dataset-status")).to_contain_text("Left out: “hue”.", timeout=30_000)
    finally:
        context.close()
