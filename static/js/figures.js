// Draw the per-unit rates of the figures page from the JSON data block it carries.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("rates-chart");
  var source = document.getElementById("rates-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.units.length) { holder.hidden = true; return; }
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true },
    // Drawn in the chart itself: an HTML tooltip carries inline styles, which the Content Security Policy refuses.
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 64 },
    xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; }),
    color: ["#b3261e", "#e07a5f", "#3d405b", "#81b29a"]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
