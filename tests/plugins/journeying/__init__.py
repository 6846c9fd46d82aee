"""A test plugin adding two sections to a network's journey page, given in the wrong order."""

from markupsafe import Markup, escape

from facilitation import api
from facilitation.api import hookimpl


@hookimpl
def network_journey_sections(network_id, viewer, access):
    name = api.network(network_id)["name"]
    return [
        (20, "Later section", Markup('<p id="later">later</p>')),
        (10, "Earlier section", Markup(f'<p id="earlier">{escape(viewer)} sees <bdi>{escape(name)}</bdi></p>')),
    ]
