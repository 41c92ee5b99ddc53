// The run page's model charts: one per linkage task, each comparison level's match weight
// (log2 m/u) as a bar to the right (evidence for one person) or left (against).
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("model-weights-data");
  if (!node || !window.vegaEmbed) return;
  var tasks = JSON.parse(node.textContent);
  var holder = document.getElementById("model-weights");
  Object.keys(tasks).forEach(function (task) {
    var values = [];
    var p = tasks[task].parameters;
    (p ? p.levels : []).forEach(function (l) {
      if (l.weight !== null) values.push({ level: l.comparison + ": " + l.level, weight: l.weight });
    });
    var w = tasks[task].weighed || {};
    Object.keys(w).forEach(function (name) {
      values.push({ level: "days used: " + name, weight: w[name].weight });
    });
    if (!values.length) return;
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", "Match weight of each comparison level for " + task);
    holder.appendChild(box);
    vegaEmbed(box, {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      title: task,
      data: { values: values },
      width: "container", height: { step: 14 },
      mark: "bar",
      encoding: {
        y: { field: "level", type: "nominal", sort: null, title: null },
        x: { field: "weight", type: "quantitative", title: "match weight, log2(m/u)" },
        color: {
          condition: { test: "datum.weight >= 0", value: "#0b5cad" },
          value: "#b3541e"
        },
        tooltip: [{ field: "level" }, { field: "weight", format: ".2f" }]
      }
    }, probityChartOptions());
  });
});
