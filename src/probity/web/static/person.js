// Charts and the link graph on the person page, drawn from the JSON the page carries.
// The tables beside them hold the same figures for anyone not using the pictures.
(function () {
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : [];
  }

  function activity() {
    var rows = data("activity-data");
    if (!rows.length || !window.vegaEmbed) return;
    vegaEmbed("#activity-chart", {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      data: { values: rows },
      width: "container", height: 160,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "month", type: "temporal", title: null },
        y: { field: "n", type: "quantitative", title: "count" },
        color: { field: "kind", type: "nominal", title: "kind" },
        tooltip: [{ field: "month", type: "temporal" }, { field: "kind" }, { field: "n" }]
      }
    }, probityChartOptions());
  }

  function peers() {
    var rows = data("peers-data");
    if (!rows.length || !window.vegaEmbed) return;
    vegaEmbed("#peers-chart", {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      data: { values: rows },
      width: "container", height: { step: 26 },
      encoding: { y: { field: "kind", type: "nominal", title: null } },
      layer: [
        { mark: { type: "rule", color: "#9aa5b1" },
          encoding: { x: { field: "peer_median", type: "quantitative", title: "last 12 months" }, x2: { field: "peer_p90" } } },
        { mark: { type: "tick", color: "#57606a", thickness: 2 },
          encoding: { x: { field: "peer_median", type: "quantitative" } } },
        { mark: { type: "point", filled: true, size: 80, color: "#0b5cad" },
          encoding: { x: { field: "person", type: "quantitative" },
                      tooltip: [{ field: "kind" }, { field: "person" }, { field: "peer_median" }, { field: "peer_p90" }] } }
      ]
    }, probityChartOptions());
  }

  function graph() {
    var g = data("graph-data");
    if (!g.nodes || !g.nodes.length || !window.cytoscape) return;
    var colours = { person: "#0b5cad", unit: "#2d6a4f", colleague: "#6c757d", record_subject: "#8a4b00", company: "#6f42c1" };
    var elements = g.nodes.map(function (n) { return { data: { id: n.id, label: n.label, kind: n.kind } }; })
      .concat(g.edges.map(function (e, i) { return { data: { id: "e" + i, source: e.source, target: e.target, label: e.label } }; }));
    var cy = cytoscape({
      container: document.getElementById("graph"),
      elements: elements,
      layout: { name: "concentric", concentric: function (n) { return n.data("kind") === "person" ? 2 : 1; }, minNodeSpacing: 40 },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 11, "background-color": function (n) { return colours[n.data("kind")] || "#333"; } } },
        { selector: "edge", style: { label: "data(label)", "font-size": 9, width: 1.5, "line-color": "#b6bec8", "curve-style": "bezier", "text-rotation": "autorotate" } }
      ]
    });
    cy.on("tap", "node", function (evt) {
      var n = evt.target.data();
      if (n.kind === "colleague") window.location = "/person/" + encodeURIComponent(n.id);
      if (n.kind === "unit") window.location = "/unit/" + encodeURIComponent(n.label);
    });
    document.getElementById("graph").dataset.drawn = cy.nodes().length;
  }

  window.addEventListener("DOMContentLoaded", function () { activity(); peers(); graph(); });
})();
