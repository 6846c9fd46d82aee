"""Charts are drawn on the server from a Vega-Lite (or Vega) spec, as SVG with real text, and
always come with their table."""

from facilitation import api


def test_a_chart_is_an_svg_with_text_a_label_and_its_table():
    spec = {"data": {"values": [{"option": "Tempo", "n": 3}, {"option": "Persone", "n": 5}]}, "mark": "bar",
            "encoding": {"y": {"field": "option", "type": "nominal", "title": None},
                         "x": {"field": "n", "type": "quantitative", "title": "Risposte"}}}
    html = str(api.chart(spec, title="Cosa è critico <b>", headers=["Opzione", "Risposte"],
                         rows=[["Tempo", 3], ["Persone", 5]]))
    assert '<svg role="img" aria-label="Cosa è critico &lt;b&gt;"' in html
    assert ">Tempo</text>" in html and ">Risposte</text>" in html, "labels are text, not paths"
    assert '<th scope="row" dir="auto">Persone</th><td class="num" dir="auto">5</td>' in html
    assert "style=" not in html and "<script" not in html, "nothing the Content Security Policy refuses"


def test_a_vega_spec_draws_what_vega_lite_cannot():
    spec = {"width": 100, "height": 100, "marks": [{"type": "text", "encode": {"enter": {
        "text": {"value": "radar"}, "x": {"value": 50}, "y": {"value": 50}}}}]}
    assert ">radar</text>" in api.chart_svg(spec, kind="vega")
