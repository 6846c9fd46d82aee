"""A test plugin whose journey section fails: the page stands without it."""

from facilitation.api import hookimpl


@hookimpl
def network_journey_sections(network_id):
    raise RuntimeError("this section always fails")
