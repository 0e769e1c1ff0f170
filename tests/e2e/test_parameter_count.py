"""The page counts a network's parameters before Python is up (the form's count, the parameter limit).

The formula cannot travel as data, so it is written twice: ``Settings.parameterCount`` in
web/js/state.js and ``mlp.network.count_parameters`` of ``mlp.config.dimensions``. This holds the
page's copy, as the page serves it, to Python's, for every dataset and a range of layer widths and
(2-D sets) input features.
"""

import json

import pytest

from mlp import config
from mlp.datasets import load_dataset
from mlp.network import count_parameters
from mlp.planes import PLANES

pytestmark = pytest.mark.e2e

HIDDEN = ([], [1], [7], [64, 32], [300, 200, 100], [5, 5, 5, 5, 5, 5])

PAGE_COUNTS = """async (cases) => {
    const { Settings } = await import("./js/state.js");
    const [schema, manifest] = await Promise.all(
        ["config-schema.json", "data/datasets.json"].map((path) => fetch(path).then((r) => r.json())));
    return cases.map(({ dataset, change }) => {
        const settings = new Settings(schema, manifest.datasets.find((d) => d.name === dataset));
        Object.assign(settings.values, change);
        return settings.parameterCount();
    });
}"""


def _cases(site_dir):
    """(dataset name, config change, Python's count) for each dataset the site offers, width list and feature set."""
    features = config.schema()["fields"]["input_features"]["choices"]
    cases = []
    for entry in json.loads((site_dir / "data" / "datasets.json").read_text())["datasets"]:
        name = entry["name"]
        dataset = load_dataset(name) if name in PLANES else load_dataset(name, site_dir / "data")
        feature_sets = (features[:2], features[:1], features[1:4], features) if name in PLANES else (features[:2],)
        for hidden in HIDDEN:
            for chosen in feature_sets:
                change = {"hidden_layers": hidden, "input_features": chosen}
                cases.append((name, change, count_parameters(config.dimensions(change, dataset))))
    return cases


def test_the_pages_parameter_count_is_pythons(page, live_server, site_dir):
    cases = _cases(site_dir)
    assert {name for name, _, _ in cases} >= {"digits", "diabetes", "spiral", "plane"}
    page.goto(live_server)  # state.js needs no Python
    counts = page.evaluate(PAGE_COUNTS, [{"dataset": name, "change": change} for name, change, _ in cases])
    mismatches = [(name, change, js, py) for (name, change, py), js in zip(cases, counts, strict=True) if js != py]
    assert not mismatches, mismatches
    assert len({py for _, _, py in cases}) > 20  # the cases are not all alike
