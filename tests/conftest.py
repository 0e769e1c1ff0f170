"""Shared fixtures. The browser and server fixtures live in tests/e2e/conftest.py."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 8x8 digits as (x, y), x in 0..16."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


@pytest.fixture(scope="session")
def digits_dataset():
    """The same digits as an mlp.data.Dataset, with the digits' own description."""
    from mlp.datasets import load_digits

    return load_digits()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def site_dir():
    """dist/, built once per test run (incremental: cheap when up to date)."""
    import build

    build.build(build.DIST)
    return build.DIST
