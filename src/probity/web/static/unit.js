// The unit page's chart: each concern's share of the unit's people beside the force's share.
window.addEventListener("DOMContentLoaded", function () {
  var rows = JSON.parse(document.getElementById("unit-data").textContent);
  if (!rows.length || !window.vegaEmbed) return;
  var values = [];
  rows.forEach(function (r) {
    values.push({ concern: r.concern, where: "unit", share: r.unit_rate });
    values.push({ concern: r.concern, where: "force", share: r.force_rate });
  });
  vegaEmbed("#unit-chart", {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    data: { values: values },
    width: "container", height: { step: 14 },
    mark: "bar",
    encoding: {
      y: { field: "concern", type: "nominal", title: null },
      yOffset: { field: "where" },
      x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share of people with a signal" },
      color: { field: "where", type: "nominal", scale: { range: ["#0b5cad", "#b6bec8"] }, title: null },
      tooltip: [{ field: "concern" }, { field: "where" }, { field: "share", format: ".1%" }]
    }
  }, probityChartOptions());
});
