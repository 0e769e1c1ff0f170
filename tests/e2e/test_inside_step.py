"""Inside one step: the post's equations with one sample's real numbers, equal to CPython's, and one SGD step by hand."""

import json

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp.data import read_dataset
from mlp.losses import get_loss
from mlp.session import Session

from .conftest import wait_until_ready
from .test_datasets import export

pytestmark = pytest.mark.e2e


def _values(page, testid):
    return np.array(json.loads(page.get_by_test_id(testid).get_attribute("data-values")))


def _by_hand(model, x, y):
    """The forward pass and the deltas of the post, for one sample, in CPython: the referee."""
    z, a = model.forward(x)
    grad_w, grad_b = model.backprop(x, y, get_loss(model.metadata["config"]["loss"], model.activations[-1]))
    return z, a, grad_w, grad_b


def test_every_number_of_one_step_is_cpythons_and_the_step_is_one_sgd_update(page, live_server, site_dir, tmp_path):
    page.goto(f"{live_server}#dataset=digits")
    wait_until_ready(page)
    page.get_by_role("button", name="The 2017 post").click()  # 64-15-10, sigmoid output, the post's MSE
    page.get_by_label("Epochs").fill("2")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    page.get_by_label("Which one", exact=True).fill("11")
    page.get_by_role("button", name="Show this step").click()
    expect(page.get_by_test_id("eq-dw-2")).to_have_attribute("data-sample", "11")
    model = export(page, tmp_path / "post.json")
    session = Session(read_dataset(site_dir / "data", "digits"), model.metadata["config"])
    x, y = session.x_train[11:12], np.eye(10)[session.y_train[11:12]]
    z, a, grad_w, grad_b = _by_hand(model, x, y)
    np.testing.assert_allclose(_values(page, "eq-input"), a[0][0], rtol=1e-12, atol=0)
    for k in (1, 2):
        for name, expected in (("z", z[k - 1][0]), ("a", a[k][0]), ("delta", grad_b[k - 1]), ("dw", grad_w[k - 1]),
                               ("db", grad_b[k - 1])):
            np.testing.assert_allclose(_values(page, f"eq-{name}-{k}"), expected, rtol=1e-12, atol=1e-300,
                                       err_msg=f"eq-{name}-{k}")
    correct = get_loss("mse", model.activations[-1]).delta(y, a[-1], z[-1])[0]
    np.testing.assert_allclose(_values(page, "eq-delta-correct"), correct, rtol=1e-12)
    published = _values(page, "eq-delta-published")
    np.testing.assert_allclose(published, _values(page, "eq-delta-2"), rtol=0)  # the post's own loss is this model's
    assert np.abs(published - correct).max() > 1e-6  # σ'(a) is not σ'(z)
    expect(page.get_by_test_id("inside-step").locator("math").first).to_be_visible()

    page.get_by_role("button", name="Take this step").click()
    result = page.get_by_test_id("step-result")
    expect(result).to_contain_text("One SGD step on this sample", timeout=30_000)
    stepped = export(page, tmp_path / "stepped.json")
    rate = model.metadata["config"]["learning_rate"]
    for before, after, g in zip(model.weights, stepped.weights, grad_w, strict=True):
        np.testing.assert_allclose(after, before - rate * g, rtol=0, atol=1e-15)
    assert float(result.get_attribute("data-after")) < float(result.get_attribute("data-before"))


def test_a_bad_sample_number_is_named_and_nothing_changes(page, live_server):
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_label("Which one", exact=True).fill("99999")
    page.get_by_role("button", name="Show this step").click()
    expect(page.get_by_test_id("step-result")).to_contain_text("sample index must be")
    expect(page.get_by_role("button", name="Take this step")).to_be_disabled()
