"""The network dossier: everything of one network across all labs.

Its path since T0 (the sections plugins add to the journey page: the squad's versions compared
with their figures, self-assessments and indicators over time), its participation meeting by
meeting, and its archive lab by lab, each result rendered by its exercise beside the overall
one where the exercise keeps both (polls, questionnaires; their small-group rule applies).
"""

from __future__ import annotations

import logging
import time
from itertools import groupby

from .. import artifacts, rendering, store
from ..plugins import registry
from .figures import participation

log = logging.getLogger("facilitation.reports")


def journey(network_id: int, viewer: str, access) -> list[tuple[str, object]]:
    """(title, html) of the plugins' journey sections, in their order; a failing one is left out."""
    found = []
    for impl in registry().pm.hook.network_journey_sections.get_hookimpls():
        try:
            found += list(impl.function(network_id=network_id, viewer=viewer, access=access) or ())
        except Exception:
            log.exception("the journey section of plugin %s failed", impl.plugin_name)
    return [(title, html) for _order, title, html in sorted(found, key=lambda s: s[0])]


def build(db, network_id: int, *, names: bool, fmt: str, viewer: str, access, progress=None) -> dict:
    network = store.network(db, network_id)
    meetings = store.held_meetings(db)
    ids = [m["id"] for m in meetings]
    figures = participation(meetings, store.participants_of_meetings(db, ids), store.attendance_of_meetings(db, ids),
                            network_id=network_id, networks_total=store.network_count(db), now=time.time())
    if progress:
        progress(1, 3)
    sections = journey(network_id, viewer, access)
    if progress:
        progress(2, 3)
    found = artifacts.artifacts_of_network(db, network_id)
    found.sort(key=lambda a: (a["lab_title"] is None, a["lab_title"] or "", a["meeting_date"] or "",
                              a["meeting_id"] or 0, a["item_id"] or 0))
    for artifact in found:
        artifact["rendered"] = rendering.render(artifact, fmt, {"names": names})
    labs = [(lab_title, [(meeting, list(items)) for meeting, items in
                         groupby(list(group), key=lambda a: (a["meeting_title"], a["meeting_date"]))])
            for lab_title, group in groupby(found, key=lambda a: a["lab_title"])]
    if progress:
        progress(3, 3)
    return {"network": network, "figures": figures, "journey": sections, "labs": labs, "names": names, "fmt": fmt,
            "viewer": viewer}
