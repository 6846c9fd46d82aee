"""The squad's network analysis: figures of a canvas's interaction map, computed with networkx.

Roles are the nodes; every interaction is a flow from the role that starts it to the role
that receives it. Connections, betweenness, the roles that are the only link between
others, reciprocity and density are networkx's (``betweenness_centrality``,
``articulation_points``, ``overall_reciprocity``, ``density``), never counted by hand.

``figures`` is plain data (ids, counts, ratios), the same for every reader: it travels in
the live canvas's broadcasts and is kept with each version. Words are made from it where it
is shown, in the reader's language: ``sentences`` here for pages and reports, squad.js for
the live canvas, from the same strings.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
from markupsafe import Markup

from facilitation.api import gettext as _
from facilitation.api import ngettext

# A role in contact with at least this many others, and with more than anyone else, is a hub.
HUB_MIN = 3
# A role through which at least this share of the shortest connections between the others pass.
BOTTLENECK_MIN = 0.4
# The most names a sentence lists before "and N more".
NAMES_SHOWN = 4


def graphs(canvas: dict) -> tuple[list[str], nx.DiGraph, nx.Graph]:
    """The role ids in canvas order, the flows between different roles (directed, one link per
    ordered pair however many interactions), and who is in contact with whom (undirected)."""
    ids = [r["id"] for r in canvas.get("roles", [])]
    known = set(ids)
    flows = nx.DiGraph()
    flows.add_nodes_from(ids)
    for link in canvas.get("interactions", []):
        source, target = link.get("source"), link.get("target")
        if source in known and target in known and source != target:
            flows.add_edge(source, target)
    return ids, flows, flows.to_undirected()


def figures(canvas: dict) -> dict:
    """Every figure of a canvas's interaction map and of its strategies.

    ``roles``: per role (canvas order) ``id``, ``title``, ``partners`` (roles it is in contact
    with, either way), ``sends`` and ``receives`` (interactions it starts and receives) and
    ``betweenness`` (networkx's normalised betweenness centrality on the contacts: the share of
    the pairs of other roles whose shortest connections pass through it). ``hubs``,
    ``bottlenecks``, ``isolated`` (roles in no interaction), ``only_links`` (``{role, groups}``:
    a role without which its groups of roles lose contact), ``unmanaged`` and
    ``without_objectives`` (strategy ids); ``flows`` (ordered pairs of roles with an
    interaction), ``mutual`` (flows answered by one back), ``possible`` (``n(n-1)``),
    ``reciprocity`` (``None`` without flows), ``density``, ``groups`` (separate groups of roles
    in contact) and ``interactions``.
    """
    ids, flows, contacts = graphs(canvas)
    order = {rid: n for n, rid in enumerate(ids)}
    titles = {r["id"]: r.get("title", "") for r in canvas.get("roles", [])}
    links = [i for i in canvas.get("interactions", []) if i.get("source") in order and i.get("target") in order]
    sends, receives = Counter(), Counter()
    involved = set()
    for link in links:
        involved.update((link["source"], link["target"]))
        if link["source"] != link["target"]:
            sends[link["source"]] += 1
            receives[link["target"]] += 1
    betweenness = nx.betweenness_centrality(contacts)
    partners = dict(contacts.degree())
    top = max(partners.values(), default=0)
    only_links = []
    for role in sorted(nx.articulation_points(contacts), key=order.get):
        rest = contacts.subgraph(nx.node_connected_component(contacts, role) - {role})
        groups = sorted((sorted(group, key=order.get) for group in nx.connected_components(rest)),
                        key=lambda group: order[group[0]])
        only_links.append({"role": role, "groups": groups})
    cut = {o["role"] for o in only_links}
    linked = [rid for rid in ids if partners[rid]]
    count = flows.number_of_edges()
    strategies = canvas.get("strategies", [])
    managed = {sid for r in canvas.get("roles", []) for sid in r.get("manages", [])}
    return {
        "roles": [{"id": rid, "title": titles[rid], "partners": partners[rid], "sends": sends[rid],
                   "receives": receives[rid], "betweenness": round(betweenness[rid], 3)} for rid in ids],
        "hubs": [rid for rid in ids if top >= HUB_MIN and partners[rid] == top],
        "bottlenecks": sorted((rid for rid in ids if betweenness[rid] >= BOTTLENECK_MIN and rid not in cut),
                              key=lambda rid: (-betweenness[rid], order[rid])),
        "only_links": only_links,
        "isolated": [rid for rid in ids if rid not in involved],
        "unmanaged": [s["id"] for s in strategies if s["id"] not in managed],
        "without_objectives": [s["id"] for s in strategies if not s.get("objectives")],
        "flows": count,
        "mutual": sum(1 for a, b in flows.edges if flows.has_edge(b, a)),
        "possible": len(ids) * (len(ids) - 1),
        "reciprocity": round(nx.overall_reciprocity(flows), 3) if count else None,
        "density": round(nx.density(flows), 3),
        "groups": nx.number_connected_components(contacts.subgraph(linked)),
        "interactions": len(links),
    }


# Figures compared between two versions, in the order they are shown; each is a number.
COMPARED = ("roles", "interactions", "flows", "density", "reciprocity", "isolated", "unmanaged",
            "without_objectives", "groups")


def value_of(found: dict, name: str):
    value = found.get(name)
    return len(value) if isinstance(value, list) else value


def since(before: dict | None, after: dict) -> dict | None:
    """How the figures changed from ``before`` (T0's) to ``after``: ``figures`` (every compared
    figure with ``before`` and ``after``) and ``roles`` (the roles whose number of contacts
    changed, appeared or went: ``id``, ``title``, ``before`` and ``after``, ``None`` when absent)."""
    if not before:
        return None
    then = {r["id"]: r for r in before.get("roles", [])}
    now = {r["id"]: r for r in after.get("roles", [])}
    roles = [{"id": rid, "title": r["title"], "before": then[rid]["partners"] if rid in then else None,
              "after": r["partners"]} for rid, r in now.items()
             if rid not in then or then[rid]["partners"] != r["partners"]]
    roles += [{"id": rid, "title": r["title"], "before": r["partners"], "after": None}
              for rid, r in then.items() if rid not in now]
    return {"figures": [{"figure": name, "before": value_of(before, name), "after": value_of(after, name)}
                        for name in COMPARED],
            "roles": roles}


# words ------------------------------------------------------------------------

def figure_labels() -> dict:
    """The name of each compared figure, for tables."""
    return {"roles": _("Roles"), "interactions": _("Interactions"), "flows": _("Flows between roles"),
            "density": _("Density"), "reciprocity": _("Reciprocity"),
            "isolated": _("Roles without interactions"), "unmanaged": _("Strategies no role manages"),
            "without_objectives": _("Strategies without specific objectives"),
            "groups": _("Separate groups of roles")}


def _names(ids, titles, name) -> str:
    """``A, B and C`` in the reader's language, each name given by ``name``; past
    ``NAMES_SHOWN``, "and N more"."""
    from babel.lists import format_list
    from flask_babel import get_locale

    shown = [name(titles.get(rid, "")) for rid in ids[:NAMES_SHOWN]]
    rest = len(ids) - len(shown)
    if rest:
        shown.append(ngettext("%(num)s more", "%(num)s more", rest))
    # Names are escaped already (``name``); the list's own words and commas are the locale's.
    joined = format_list([str(s) for s in shown], locale=get_locale() or "en")
    return Markup(joined) if isinstance(name(""), Markup) else joined


def sentences(found: dict, titles: dict, strategy_titles: dict, *, markup: bool = True) -> list:
    """The figures in words a facilitator reads at a glance: HTML (``Markup``: every name escaped
    and isolated in ``<bdi>``; the rest is the translated sentence and numbers) or plain text for
    Markdown (``markup=False``: names as given, for the caller to escape)."""
    from flask_babel import format_decimal, format_percent

    def name(text):
        return Markup("<bdi>%s</bdi>") % text if markup else text

    def names(ids, which=titles):
        return _names(ids, which, name)

    def done(text):
        return Markup(text) if markup else text

    out = []
    others = max(len(found["roles"]) - 1, 0)
    partners = {r["id"]: r["partners"] for r in found["roles"]}
    betweenness = {r["id"]: r["betweenness"] for r in found["roles"]}
    for rid in found["hubs"]:
        out.append(done(_("%(role)s is a hub: in contact with %(n)s of the other %(others)s roles.",
                          role=name(titles.get(rid, "")), n=partners[rid], others=others)))
    def group(ids):
        # The roles of one side, with commas: the sentence's own "and" stays between the sides.
        return (Markup(", ") if markup else ", ").join(name(titles.get(rid, "")) for rid in ids)

    for cut in found["only_links"]:
        groups, role = cut["groups"], name(titles.get(cut["role"], ""))
        if len(groups) == 2 and all(len(g) == 1 for g in groups):
            out.append(done(_("%(role)s is the only link between %(a)s and %(b)s.", role=role,
                              a=name(titles.get(groups[0][0], "")), b=name(titles.get(groups[1][0], "")))))
        elif len(groups) == 2:
            out.append(done(_("%(role)s is the only link between %(a)s on one side and %(b)s on the other.",
                              role=role, a=group(groups[0]), b=group(groups[1]))))
        else:
            out.append(done(_("Without %(role)s, the roles in contact would split into %(n)s groups: %(groups)s.",
                              role=role, n=len(groups), groups="; ".join(str(group(g)) for g in groups))))
    for rid in found["bottlenecks"]:
        out.append(done(_("%(share)s of the shortest connections between the other roles pass through %(role)s.",
                          share=format_percent(betweenness[rid]), role=name(titles.get(rid, "")))))
    if found["isolated"]:
        out.append(done(ngettext("No interaction with the other roles: %(names)s.",
                                 "No interaction with the other roles: %(names)s.", len(found["isolated"]),
                                 names=names(found["isolated"]))))
    if found["unmanaged"]:
        out.append(done(ngettext("No role manages the strategy %(names)s.", "No role manages the strategies %(names)s.",
                                 len(found["unmanaged"]), names=names(found["unmanaged"], strategy_titles))))
    if found["without_objectives"]:
        out.append(done(ngettext("The strategy %(names)s has no specific objective.",
                                 "The strategies %(names)s have no specific objective.",
                                 len(found["without_objectives"]),
                                 names=names(found["without_objectives"], strategy_titles))))
    if found["flows"]:
        out.append(done(ngettext(
            "Reciprocity %(value)s: %(mutual)s of the %(num)s flow between roles has a flow back.",
            "Reciprocity %(value)s: %(mutual)s of the %(num)s flows between roles have a flow back.",
            found["flows"], value=format_decimal(found["reciprocity"], "0.00"), mutual=found["mutual"])))
    if found["possible"]:
        out.append(done(_("Density %(value)s: %(flows)s of the %(possible)s possible flows between the %(roles)s "
                          "roles exist.", value=format_decimal(found["density"], "0.00"), flows=found["flows"],
                          possible=found["possible"], roles=len(found["roles"]))))
    if found["groups"] > 1:
        out.append(done(_("The roles in contact form %(n)s separate groups.", n=found["groups"])))
    return out


def number(name: str, value) -> str:
    """A compared figure as people read it: ratios with two decimals, "—" when not defined."""
    from flask_babel import format_decimal

    if value is None:
        return "—"
    if name in ("density", "reciprocity"):
        return format_decimal(value, "0.00")
    return str(value)
