// Draw the oversight dashboard's charts from the JSON data block the page carries (oversight.charts' ChartSpec as
// plain data: key, title, kind, labels, series, unit), and offer each chart as a PNG once it is drawn.
document.addEventListener("DOMContentLoaded", function () {
  // The period's inputs: only those of the chosen kind are shown (all of them without scripts).
  var select = document.getElementById("d-period");
  function showInputs() {
    document.querySelectorAll(".mq-dash-period [data-kind]").forEach(function (box) {
      box.hidden = box.getAttribute("data-kind") !== select.value;
    });
  }
  if (select) { select.addEventListener("change", showInputs); showInputs(); }

  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var colours = ["#b3261e", "#3d405b", "#81b29a", "#e07a5f", "#f2cc8f", "#5b8bb2"];
  // Charts whose series mean good, so-so and bad (duties met, short, running; ratings by value) read as such.
  var meaning = { duties_weekly: ["#4f8a6e", "#b3261e", "#b8b8b8"], ratings: ["#4f8a6e", "#e0a030", "#b3261e"] };
  var drawn = [];

  function pngLink(spec, chart) {
    var link = document.querySelector('.mq-dash-png[data-chart="' + spec.key + '"]');
    if (!link) { return; }
    link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    link.hidden = false;
  }

  function options(spec) {
    var percent = spec.unit === "%";
    var format = function (v) { return v === null || v === undefined ? "—" : v + (percent ? "%" : " " + spec.unit); };
    var base = {
      animation: false,
      aria: { enabled: true },
      color: meaning[spec.key] || colours,
      // Drawn in the chart itself: an HTML tooltip carries inline styles, which the Content Security Policy refuses.
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", renderMode: "richText", valueFormatter: format },
      legend: { top: 0, type: "scroll" }
    };
    if (spec.kind === "pie") {
      base.series = [{
        name: spec.series.length ? spec.series[0].name : "", type: "pie", radius: ["35%", "65%"], top: 24,
        data: spec.labels.map(function (label, i) { return { name: label, value: spec.series[0].values[i] }; }),
        label: { formatter: "{b}: {c}" }
      }];
      return base;
    }
    var many = spec.labels.length > 6;
    base.grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    base.xAxis = {
      type: "category", data: spec.labels,
      axisLabel: { interval: many ? "auto" : 0, rotate: many ? 35 : 0, hideOverlap: true }
    };
    base.yAxis = percent
      ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      : { type: "value", minInterval: 1 };
    base.series = spec.series.map(function (s) {
      var one = { name: s.name, data: s.values, type: spec.kind === "line" ? "line" : "bar" };
      if (spec.kind === "stacked") { one.stack = "total"; }
      if (spec.kind === "line") { one.connectNulls = false; one.symbolSize = 6; }
      return one;
    });
    return base;
  }

  JSON.parse(source.textContent).forEach(function (spec) {
    var holder = document.getElementById("chart-" + spec.key);
    if (!holder || !spec.labels.length) { return; }
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.on("finished", function () { pngLink(spec, chart); });
    chart.setOption(options(spec));
    drawn.push(chart);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { drawn.forEach(function (chart) { chart.resize(); }); }, 150);
  });

});
