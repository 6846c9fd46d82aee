import sys
from pathlib import Path

import pytest

from facilitation.api.testing import *  # noqa: F403 (app, db, seeded, sockets, login...)

# The package itself, when the tests run from a checkout where it is not installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


@pytest.fixture
def app_config():
    return {"PLUGINS": ["facilitation_checkin"]}


@pytest.fixture
def seed_items():
    return [("checkin", "checkin", {"title": "Come arrivi?"}, "meeting")]
