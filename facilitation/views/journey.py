"""A network's journey: where it started (its T0, its first meeting) and where it is now.

One page per network, for facilitators (``/f/networks/<id>/journey``) and for the network's
team through its link (``/n/<secret>/journey``, which only ever reaches its own network). The
core shows the meetings the network took part in; plugins add their sections through the
``network_journey_sections`` hook (the squad's versions, self-assessments, efficacy against
T0...), shown by their order. A plugin whose section fails is left out and logged; the page
stands.
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template
from markupsafe import Markup

from .. import store
from ..access import Access, network_route
from ..db import get_db
from ..plugins import registry
from . import or_404

bp = Blueprint("journey", __name__)
log = logging.getLogger("facilitation.journey")


def sections(access: Access) -> tuple[list[tuple[float, str, Markup]], bool]:
    """Every plugin's sections for this network and viewer, ordered; and whether one failed."""
    hook = registry().pm.hook.network_journey_sections
    values = {
        "network_id": access.network_id,
        "viewer": access.viewer,
        "access": Access(access.network_id, access.token),
    }
    found, failed = [], False
    for impl in hook.get_hookimpls():
        try:
            batch = impl.function(*[values[name] for name in impl.argnames])
            for order, title, html in batch or ():
                found.append((float(order), str(title), Markup(html)))
        except Exception:
            failed = True
            log.exception("the journey section of plugin %s failed", impl.plugin_name)
    found.sort(key=lambda s: s[0])
    return found, failed


@network_route(bp, "/journey")
def show(access: Access):
    db = get_db()
    network = or_404(store.network(db, access.network_id))
    meetings = store.meetings_of_network(db, access.network_id)
    found, failed = sections(access)
    return render_template(
        "journey/network.html",
        network=network,
        meetings=meetings,
        sections=found,
        failed=failed,
        access=access,
        back=access.archive_url(),
    )
