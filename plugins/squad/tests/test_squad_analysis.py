"""The squad's network figures on small hand-built graphs, against values worked out here by hand,
and the words a facilitator reads."""

import pytest

from facilitation_squad.analysis import figures, sentences, since


def canvas(roles, flows, strategies=()):
    """Roles by name (their ids are the names), flows as (from, to) pairs."""
    return {"roles": [{"id": r, "title": r.replace("_", " ").capitalize(), "organisation": "", "profession": "",
                       "manages": [s["id"] for s in strategies if r in s.get("managed_by", ())]} for r in roles],
            "interactions": [{"id": f"i{n}", "source": a, "target": b, "what": "", "channel": "", "frequency": ""}
                             for n, (a, b) in enumerate(flows)],
            "strategies": [{"id": s["id"], "title": s["title"], "objectives": s.get("objectives", [])}
                           for s in strategies]}


def by_role(found, name):
    return {r["id"]: r[name] for r in found["roles"]}


def test_the_social_worker_is_the_only_link_between_the_school_and_the_association():
    # school -> social worker <-> association
    found = figures(canvas(["school", "social_worker", "association"],
                           [("school", "social_worker"), ("social_worker", "association"),
                            ("association", "social_worker")]))
    assert by_role(found, "partners") == {"school": 1, "social_worker": 2, "association": 1}
    assert by_role(found, "sends") == {"school": 1, "social_worker": 1, "association": 1}
    assert by_role(found, "receives") == {"school": 0, "social_worker": 2, "association": 1}
    # The one pair of other roles (school, association) is joined only through the social worker: 1 of 1.
    assert by_role(found, "betweenness") == {"school": 0.0, "social_worker": 1.0, "association": 0.0}
    assert found["only_links"] == [{"role": "social_worker", "groups": [["school"], ["association"]]}]
    assert found["hubs"] == [] and found["isolated"] == [] and found["bottlenecks"] == []
    # 3 flows (school->sw, sw->assoc, assoc->sw), 2 of them answered: 2/3; 3 of 3*2 possible flows: 1/2.
    assert (found["flows"], found["mutual"], found["reciprocity"]) == (3, 2, 0.667)
    assert (found["possible"], found["density"], found["groups"]) == (6, 0.5, 1)


def test_a_hub_with_four_spokes_a_loop_and_a_role_left_out():
    found = figures(canvas(["hub", "a", "b", "c", "d", "alone"],
                           [("hub", "a"), ("hub", "b"), ("b", "hub"), ("c", "hub"), ("hub", "d"), ("a", "a")]))
    assert by_role(found, "partners") == {"hub": 4, "a": 1, "b": 1, "c": 1, "d": 1, "alone": 0}
    # The 6 pairs of spokes all pass through the hub; "alone" reaches no one. Normalised over the
    # C(5, 2) = 10 pairs of the other roles: 6/10.
    assert by_role(found, "betweenness")["hub"] == 0.6
    assert found["hubs"] == ["hub"]
    assert found["only_links"] == [{"role": "hub", "groups": [["a"], ["b"], ["c"], ["d"]]}]
    # The loop of "a" on itself is an interaction (a is not left out) but no flow between roles.
    assert found["isolated"] == ["alone"] and found["interactions"] == 6
    assert (found["flows"], found["mutual"], found["reciprocity"]) == (5, 2, 0.4)
    assert (found["possible"], found["density"]) == (30, round(5 / 30, 3))
    assert by_role(found, "sends")["a"] == 0 and by_role(found, "receives")["a"] == 1, "its loop counts neither way"


def test_a_bottleneck_that_is_not_the_only_link():
    # school, town hall, parish, social worker, cooperative, health service:
    # 0-1, 0-3, 1-2, 1-3, 1-4, 2-3, 3-4, 3-5, 4-5 (and 5->3 back).
    names = ["school", "town_hall", "parish", "social_worker", "cooperative", "health"]
    pairs = [(0, 1), (0, 3), (1, 2), (1, 3), (1, 4), (2, 3), (3, 4), (3, 5), (4, 5), (5, 3)]
    found = figures(canvas(names, [(names[a], names[b]) for a, b in pairs]))
    # Through the social worker: (0,2) 1/2, (0,4) 1/2, (0,5) 1, (1,5) 1/2, (2,4) 1/2, (2,5) 1 = 4 of
    # C(5, 2) = 10 pairs: 0.4. Nobody is the only link (the health service also reaches the cooperative).
    assert by_role(found, "betweenness")["social_worker"] == 0.4
    assert by_role(found, "betweenness")["town_hall"] == 0.15
    assert found["only_links"] == [] and found["bottlenecks"] == ["social_worker"]
    assert found["hubs"] == ["social_worker"] and by_role(found, "partners")["social_worker"] == 5
    assert (found["flows"], found["mutual"], found["reciprocity"]) == (10, 2, 0.2)
    assert found["density"] == round(10 / 30, 3)


def test_strategies_no_role_manages_and_without_objectives_and_separate_groups():
    strategies = [{"id": "s1", "title": "Mediazione", "managed_by": ["a"], "objectives": [{"id": "o1", "text": "x"}]},
                  {"id": "s2", "title": "Tavolo", "objectives": []},
                  {"id": "s3", "title": "Sportello", "managed_by": ["c"], "objectives": []}]
    found = figures(canvas(["a", "b", "c", "d"], [("a", "b"), ("c", "d")], strategies))
    assert found["unmanaged"] == ["s2"] and found["without_objectives"] == ["s2", "s3"]
    assert found["groups"] == 2 and found["only_links"] == [] and found["reciprocity"] == 0.0


def test_an_empty_canvas_has_figures_too():
    found = figures({"roles": [], "interactions": [], "strategies": []})
    assert found["roles"] == [] and found["reciprocity"] is None and found["density"] == 0
    assert found["flows"] == found["possible"] == found["groups"] == 0


def test_how_the_figures_changed_since_t0():
    t0 = figures(canvas(["a", "b", "c"], [("a", "b")]))
    now = figures(canvas(["a", "b", "d"], [("a", "b"), ("b", "a"), ("b", "d")]))
    found = since(t0, now)
    values = {f["figure"]: (f["before"], f["after"]) for f in found["figures"]}
    assert values["roles"] == (3, 3) and values["interactions"] == (1, 3) and values["flows"] == (1, 3)
    assert values["reciprocity"] == (0.0, 0.667) and values["density"] == (round(1 / 6, 3), 0.5)
    assert values["isolated"] == (1, 0) and values["groups"] == (1, 1)
    assert {r["id"]: (r["before"], r["after"]) for r in found["roles"]} == {"b": (1, 2), "d": (None, 1), "c": (0, None)}
    assert since(None, now) is None


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        yield


def test_the_figures_in_words(english):
    found = figures(canvas(["school", "social_worker", "association", "parish"],
                           [("school", "social_worker"), ("social_worker", "association"),
                            ("association", "social_worker")],
                           [{"id": "s1", "title": "Tavolo <b>", "objectives": []}]))
    titles = {r["id"]: r["id"].replace("_", " ").capitalize() + " <i>" for r in found["roles"]}
    html = [str(s) for s in sentences(found, titles, {"s1": "Tavolo <b>"})]
    assert ("<bdi>Social worker &lt;i&gt;</bdi> is the only link between <bdi>School &lt;i&gt;</bdi> and "
            "<bdi>Association &lt;i&gt;</bdi>.") in html
    assert "No interaction with the other roles: <bdi>Parish &lt;i&gt;</bdi>." in html
    assert "No role manages the strategy <bdi>Tavolo &lt;b&gt;</bdi>." in html
    assert "Reciprocity 0.67: 2 of the 3 flows between roles have a flow back." in html
    assert "Density 0.25: 3 of the 12 possible flows between the 4 roles exist." in html
    text = sentences(found, titles, {"s1": "Tavolo <b>"}, markup=False)
    assert "Social worker <i> is the only link between School <i> and Association <i>." in text
