// Draw the backlog board's progress per owning leader (closed and open cases) from its JSON data block.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("board-chart");
  var source = document.getElementById("board-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.leaders.length) { holder.hidden = true; return; }
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 40 },
    xAxis: { type: "category", data: data.leaders, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "cases", data: s.values }; }),
    color: ["#81b29a", "#b3261e"]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
