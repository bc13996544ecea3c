// Draw the enterprise service board's charts from the JSON data block it carries: for each table, the first
// column is the category and the other columns (numbers) are the series.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("board-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  Object.keys(data).forEach(function (key) {
    var holder = document.getElementById("chart-" + key);
    var table = data[key];
    if (!holder) { return; }
    if (!table.rows.length) { holder.hidden = true; return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    var names = table.rows.map(function (row) { return row[0]; });
    var series = table.headers.slice(1).map(function (name, i) {
      return { name: name, type: "bar", data: table.rows.map(function (row) { return Number(row[i + 1]); }) };
    });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 64 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series,
      color: ["#b3261e", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f"]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
