"""Who may look at a network's pages: facilitators, or the network's team through its link.

``network_route`` registers one view twice, under ``/f/networks/<id>/...`` for logged-in
facilitators and under ``/n/<secret>/...`` for the network's link, which only ever reaches
its own network; the view gets an ``Access`` saying which network and who looks, and
making links to the other pages of the same kind.
"""

from __future__ import annotations

import functools
import secrets

from flask import g, session, url_for

from . import store
from .auth import login_required
from .db import get_db
from .views import or_404


class Access:
    """Who is looking at one network's pages (``viewer``: ``facilitator`` or ``network``)."""

    def __init__(self, network_id: int, token: str | None, blueprint: str | None = None):
        self.network_id, self.token, self.blueprint = network_id, token, blueprint
        self.viewer = "network" if token else "facilitator"

    def url(self, name: str, blueprint: str | None = None, **values) -> str:
        """The URL of another page registered with ``network_route`` (``name`` is its view's name)."""
        bp = blueprint or self.blueprint
        if self.token:
            return url_for(f"{bp}.n_{name}", token=self.token, **values)
        return url_for(f"{bp}.f_{name}", network_id=self.network_id, **values)

    def archive_url(self) -> str:
        if self.token:
            return url_for("network.home", token=self.token)
        return url_for("archive.network", network_id=self.network_id)


def network_link_or_404(token: str) -> dict:
    """The active link of this secret (else a 404); remembered for the request."""
    link = or_404(store.network_link_by_token(get_db(), token))
    g.network_link_token = token
    # A stable id per browser, so that presence tells two people of a team apart.
    session.setdefault("network_person", secrets.token_hex(8))
    return link


def link_token() -> str | None:
    """The network-link secret of the current request, when it came through a link."""
    return g.get("network_link_token")


def network_route(bp, rule: str, methods=("GET",)):
    """Register a view ``view(access, **kwargs)`` for facilitators and for network links."""
    def register(view):
        def as_facilitator(network_id, **kwargs):
            or_404(store.network(get_db(), network_id))
            return view(Access(network_id, None, bp.name), **kwargs)

        def as_network(token, **kwargs):
            link = network_link_or_404(token)
            return view(Access(link["network_id"], token, bp.name), **kwargs)

        name = view.__name__
        bp.add_url_rule(f"/f/networks/<int:network_id>{rule}", f"f_{name}",
                        login_required(functools.wraps(view)(as_facilitator)), methods=list(methods))
        bp.add_url_rule(f"/n/<token>{rule}", f"n_{name}", functools.wraps(view)(as_network), methods=list(methods))
        return view
    return register
