"""The ranking plugin's tests run on the core's test fixtures (``facilitation.api.testing``)."""

from facilitation.api.testing import *  # noqa: F403 (app, db, seeded, sockets, login...)
