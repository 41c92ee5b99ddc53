// Options every chart is drawn with: SVG, no export menu, and Vega's expression interpreter in
// place of its compiler, so that no page needs 'unsafe-eval' in its Content-Security-Policy.
window.probityChartOptions = function () {
  return {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: window.vega.expressionInterpreter
  };
};
