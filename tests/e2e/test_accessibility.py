"""Accessibility and layout: axe-core finds nothing serious, keyboard works, phone width fits."""

import pytest
from playwright.sync_api import expect

from .conftest import wait_until_ready

pytestmark = pytest.mark.e2e


def _open(page, url, dataset):
    page.goto(f"{url}#dataset={dataset}")
    wait_until_ready(page)
    page.locator(f'[data-testid="dataset-status"][data-name="{dataset}"]').wait_for(timeout=60_000)


def _serious_violations(page, axe_source, scope="document"):
    """What axe-core finds serious or critical in ``scope`` (a CSS selector, or the whole document)."""
    page.add_script_tag(content=axe_source)
    target = "document" if scope == "document" else repr(scope)
    result = page.evaluate(f"async () => await axe.run({target}, {{resultTypes: ['violations']}})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("dataset", ["digits", "spiral", "diabetes", "blobs"])
def test_axe_finds_no_serious_violations(browser, live_server, axe_source, dataset):
    # axe is injected by the test, so this one context lets it past the page's CSP.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _open(page, live_server, dataset)
    serious = _serious_violations(page, axe_source)
    context.close()
    assert serious == []


def test_every_control_is_labelled_and_reachable_by_keyboard(page, live_server):
    page.goto(live_server)
    wait_until_ready(page)
    controls = page.locator("main input, main select, main button")
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible() and control.get_attribute("type") != "file":
            continue
        name = control.evaluate("el => el.labels?.[0]?.textContent || el.getAttribute('aria-label') || el.textContent")
        assert name and name.strip(), control.evaluate("el => el.outerHTML")
    page.get_by_label("Epochs").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("4")
    expect(page.get_by_label("Epochs")).to_have_value("4")
    page.get_by_role("button", name="The 2017 post").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Epochs")).to_have_value("100")


@pytest.mark.parametrize("width, height", [(360, 800), (1366, 768)])
@pytest.mark.parametrize("dataset", ["digits", "spiral", "wine"])
def test_layout_fits_phone_and_desktop(browser, live_server, width, height, dataset, tmp_path_factory):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    _open(page, live_server, dataset)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=shots / f"page-{dataset}-{width}.png", full_page=True)
    context.close()
    assert overflow <= 0, f"page is {overflow}px wider than a {width}px screen"


def test_the_code_editor_is_clean_keyboard_usable_and_fits_a_phone(browser, live_server, axe_source):
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})
    page = context.new_page()
    _open(page, live_server, "digits")
    card = page.get_by_test_id("code-view")
    card.get_by_role("button", name="Show the code").focus()
    page.keyboard.press("Enter")
    expect(card.locator(".cm-content")).to_be_visible()
    page.keyboard.press("Tab")  # into the editor...
    focused = "() => document.activeElement.shadowRoot?.activeElement?.className ?? ''"
    assert "cm-content" in page.evaluate(focused)
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n# checked by keyboard\n")
    page.keyboard.press("Control+Enter")  # ...runs it...
    expect(page.get_by_test_id("code-message")).to_contain_text("passes the gradient check", timeout=60_000)
    page.keyboard.press("Control+z")  # undo
    expect(card.locator(".cm-content")).not_to_contain_text("# checked by keyboard")
    page.keyboard.press("Tab")  # ...and Tab leaves it: no trap
    assert page.evaluate("() => document.activeElement.textContent") == "Run my code"
    serious = _serious_violations(page, axe_source, "[data-testid=code-view]")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert serious == [] and overflow <= 0


def test_the_equations_are_clean_keyboard_usable_and_fit_a_phone(browser, live_server, axe_source):
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})
    page = context.new_page()
    _open(page, live_server, "digits")
    card = page.get_by_test_id("inside-step")
    card.get_by_label("Which one", exact=True).focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("7")
    page.keyboard.press("Tab")  # to "Show this step"
    page.keyboard.press("Enter")
    values = page.get_by_test_id("eq-dw-1")
    expect(values).to_have_attribute("data-sample", "7", timeout=30_000)
    values.locator("summary").focus()
    page.keyboard.press("Enter")  # all the numbers, by keyboard
    assert values.evaluate("node => node.open")
    serious = _serious_violations(page, axe_source, "[data-testid=inside-step]")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert serious == [] and overflow <= 0


def test_the_runs_table_is_clean_keyboard_usable_and_fits_a_phone(browser, live_server, axe_source):
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 800})
    page = context.new_page()
    _open(page, live_server, "xor")
    page.get_by_label("Epochs").fill("3")
    page.get_by_label("Epochs").dispatch_event("change")
    for rate in ("0.1", "0.01"):
        page.get_by_label("Learning rate").fill(rate)
        page.get_by_label("Learning rate").dispatch_event("change")
        page.get_by_role("button", name="Train", exact=True).click()
        expect(page.get_by_test_id("run-row")).to_have_count(1 if rate == "0.1" else 2, timeout=60_000)
    box = page.get_by_role("checkbox", name="Compare run #1 on the charts")
    box.focus()
    page.keyboard.press("Space")  # tick it by keyboard: its curves go on the charts
    expect(page.get_by_test_id("runs-legend")).to_contain_text("#1")
    serious = _serious_violations(page, axe_source, "[data-testid=runs-card]")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert serious == [] and overflow <= 0
