// Draw care's figures (stacked bars per community) from the JSON data block the page carries.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("care-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (holder) {
    var set = data[holder.getAttribute("data-chart")];
    if (!set || !set.labels.length) { holder.hidden = true; return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },  // no HTML tooltip: the CSP refuses inline styles
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 56, bottom: 40 },
      xAxis: { type: "category", data: set.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: set.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.values }; }),
      color: ["#b3261e", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#6d597a", "#355070", "#b56576", "#999999"]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
