"""Full garbage collections wait for a quiet moment of the live side, within bounds."""

import gc

import pytest

from facilitation.live import quiet_gc
from facilitation.live.quiet_gc import LONGEST, QUIET, SPACING, due


def test_no_full_collection_while_actions_arrive():
    now = 1000.0
    assert due(now, last_event=now - 0.1, last_full=now - SPACING - 5) is None


def test_full_collection_once_quiet_but_not_more_often_than_spacing():
    now = 1000.0
    assert due(now, last_event=now - QUIET, last_full=now - SPACING) == "quiet"
    assert due(now, last_event=now - QUIET - 60, last_full=now - SPACING + 1) is None


def test_a_room_never_quiet_still_gets_a_full_collection():
    now = 10_000.0
    assert due(now, last_event=now, last_full=now - LONGEST) == "forced"


class Loop:
    """The part of Flask-SocketIO's object that ``start`` uses: it records the task."""

    def __init__(self):
        self.tasks = []

    def start_background_task(self, target):
        self.tasks.append(target)


@pytest.fixture
def restore_gc():
    threshold, state = gc.get_threshold(), dict(quiet_gc._state)
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    quiet_gc._state.clear()
    quiet_gc._state.update(state)


def test_start_freezes_the_app_and_takes_over_full_collections(restore_gc):
    loop = Loop()
    quiet_gc.start(loop)
    assert gc.get_freeze_count() > 0, "the started app's objects are left out of later collections"
    assert gc.get_threshold()[2] >= 2**30, "no automatic full collection"
    assert len(loop.tasks) == 1
    quiet_gc.start(loop)
    assert len(loop.tasks) == 1, "started once per process"
