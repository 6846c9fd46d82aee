"""A test plugin adding a section to the programme dashboard: how many results of each exercise
type the chosen meetings archived (read through ``facilitation.api``, as a plugin would)."""

from facilitation.api import DashboardFigure, DashboardSection, archived_results, hookimpl


@hookimpl
def dashboard_sections(filters):
    found = archived_results("poll", meeting_ids=filters.meeting_ids, network_id=filters.network_id)
    by_network: dict = {}
    for result in found:
        by_network[result["network"]] = by_network.get(result["network"], 0) + 1
    rows = [[name, count] for name, count in sorted(by_network.items())]
    spec = {"data": {"values": [{"network": n, "results": c} for n, c in rows]}, "mark": "bar",
            "encoding": {"y": {"field": "network", "type": "nominal", "title": None},
                         "x": {"field": "results", "type": "quantitative", "title": "Risultati"}}}
    return [DashboardSection("archived", "Risultati archiviati", [
        DashboardFigure("by-network", "Sondaggi archiviati per rete", ["Rete", "Risultati"], rows, spec),
    ], order=50, summary=[("Sondaggi archiviati", len(found))])]
