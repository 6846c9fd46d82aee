"""The interaction map's label placement: its speed-up places every label where checking every
candidate against everything placed would."""

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation_squad import svgmap


def naive_place_label(candidates, size, placed):
    """svgmap.place_label without its speed-up: every candidate against everything placed."""
    width, height = size
    best, best_cost = None, None
    for x, y in candidates:
        box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        cost = sum(svgmap._overlap(box, b) for b in placed)
        if best_cost is None or cost < best_cost:
            best, best_cost = box, cost
        if cost == 0:
            break
    placed.append(best)
    return best


coordinate = st.floats(min_value=0, max_value=600, allow_nan=False)


@settings(max_examples=300, deadline=None, database=None)
@given(candidates=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=12),
       placed=st.lists(st.tuples(coordinate, coordinate, st.floats(1, 200), st.floats(1, 60)), max_size=40),
       size=st.tuples(st.floats(1, 300), st.floats(1, 60)))
def test_map_labels_land_where_they_did_before_the_speed_up(candidates, placed, size):
    boxes = [(x, y, x + w, y + h) for x, y, w, h in placed]
    assert svgmap.place_label(candidates, size, list(boxes)) == naive_place_label(candidates, size, list(boxes))
