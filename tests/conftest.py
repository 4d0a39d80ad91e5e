"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WAR = FIXTURES / "war"
"""The war fixture family: the engine's tests read it, never the case under scenarios/."""


def documents_folder() -> Path:
    """The case's source documents: $SIM_DOCUMENTS, or ../shared/seeds beside the checkout."""
    return Path(os.environ.get("SIM_DOCUMENTS", REPO.parent / "shared" / "seeds"))


@pytest.fixture
def toy_folder() -> Path:
    return FIXTURES / "toy"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` first (a stable sort: the order is otherwise unchanged). Run
    in parallel (pytest-xdist's ``-n``), they start at once instead of at the end, where one of
    them would keep a worker busy minutes after the others are done."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
