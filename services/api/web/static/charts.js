// The cockpit's charts (ECharts, Apache-2.0), drawn from the page's <script type="application/json" id="chart-data">.
// Every label arrives in the page's language; every chart has a table or list on the page as its text.
// The map's shapes come from @svg-maps/japan (CC BY 4.0), turned into an SVG that ECharts registers.
import japan from "/vendor/japan/index.js";

const source = document.getElementById("chart-data");
const echarts = window.echarts;
const charts = [];

function css(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

const ACCENT = css("--accent", "#0969da");
const MUTED = css("--muted", "#59636e");
const PALETTE = [ACCENT, "#bf8700", "#1a7f37", "#8250df", "#cf222e"];
const narrow = () => window.innerWidth < 640;

function chartOn(id, options) {
  const element = document.getElementById(id);
  if (!element || !echarts) return null;
  if (options && options.height) element.style.height = `${options.height}px`;
  const chart = echarts.init(element, null, { renderer: "canvas" });
  charts.push(chart);
  return chart;
}

function follow(chart, links) {
  chart.on("click", (p) => {
    const href = links[p.dataIndex];
    if (href) window.location.assign(href);
  });
}

function stages(d) {
  const chart = chartOn("chart-stages");
  if (!chart) return;
  chart.setOption({
    color: [ACCENT],
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "item" },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: d.labels, axisLabel: { color: MUTED } },
    series: [{
      type: "bar", name: d.title, data: d.values, cursor: "pointer", barMaxWidth: 24,
      label: { show: true, position: "right" },
    }],
  });
  follow(chart, d.links);
}

function months(d) {
  const chart = chartOn("chart-months");
  if (!chart) return;
  chart.setOption({
    color: PALETTE,
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (items) => {
        const i = items[0].dataIndex;
        const lines = items.filter((x) => x.value).map((x) => `${x.marker}${x.seriesName}: ${x.value}`);
        return [d.full[i], ...lines].join("<br>");
      },
    },
    xAxis: { type: "category", data: d.labels, axisLabel: { interval: "auto", hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1 },
    series: d.series.map((s) => ({ type: "bar", stack: "activities", name: s.name, data: s.values })),
  });
}

function contact(d) {
  const chart = chartOn("chart-contact", { height: Math.max(120, 56 + d.labels.length * 36) });
  if (!chart) return;
  // Quietest first: the data comes oldest contact first, so the longest bar is on top.
  chart.setOption({
    color: ["#bf8700"],
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "item", formatter: (p) => `${p.name}: ${d.unit.replace("{n}", p.value)}` },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: d.labels,
      axisLabel: { width: narrow() ? 110 : 220, overflow: "truncate", color: ACCENT },
      triggerEvent: true,
    },
    series: [{
      type: "bar", name: d.title, data: d.values, cursor: "pointer", barMaxWidth: 24,
      label: { show: true, position: "right", formatter: (p) => d.unit.replace("{n}", p.value) },
    }],
  });
  follow(chart, d.links);
  chart.on("click", "yAxis", (p) => {
    const i = d.labels.indexOf(p.value);
    if (i >= 0) window.location.assign(d.links[i]);
  });
}

function japanSvg() {
  const paths = japan.locations.map((l) => `<path name="${l.id}" d="${l.path}"/>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${japan.viewBox}">${paths}</svg>`;
}

function map(d) {
  const chart = chartOn("chart-map");
  if (!chart) return;
  echarts.registerMap("japan", { svg: japanSvg() });
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: (p) => `${d.names[p.name] || p.name}: ${d.unit.replace("{n}", Number.isFinite(p.value) ? p.value : 0)}`,
    },
    visualMap: {
      min: 0,
      max: Math.max(1, d.max),
      orient: "horizontal",
      left: 0,
      bottom: 0,
      itemWidth: 12,
      itemHeight: 100,
      text: [String(Math.max(1, d.max)), "0"],
      calculable: false,
      inRange: { color: ["#dbe9fb", ACCENT] },
    },
    series: [{
      type: "map",
      map: "japan",
      name: d.title,
      roam: false,
      selectedMode: false,
      layoutCenter: ["50%", "48%"],
      layoutSize: "95%",
      itemStyle: { areaColor: "#f2f4f7", borderColor: "#8c959f", borderWidth: 0.5 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffd33d" } },
      label: { show: false },
      data: d.areas.map((a) => ({ name: a.id, value: a.value })),
    }],
  });
  chart.on("click", (p) => {  // a shaded prefecture opens the period's engagement list filtered by it
    const href = (d.links || {})[p.name];
    if (href) window.location.assign(href);
  });
}

function budget(d, lang) {
  // 支援旅費: the budget (dashed), planned and settled so far (lines) and what is left (bars), month by month.
  const chart = chartOn("chart-budget");
  if (!chart || !d) return;
  const compact = new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-GB", {
    style: "currency", currency: "JPY", notation: "compact", maximumFractionDigits: 1,
  });
  const byKey = Object.fromEntries(d.series.map((s) => [s.key, s]));
  const line = (s, color) => ({
    type: "line", name: s.name, data: s.values, symbolSize: 6, lineStyle: { width: 2 }, itemStyle: { color },
  });
  chart.setOption({
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      formatter: (items) => {
        const i = items[0].dataIndex;
        const lines = [[d.budget.name, d.budget.text[i], "#8c959f"], ...d.series.map((s) => [s.name, s.text[i], null])];
        const marks = Object.fromEntries(items.map((x) => [x.seriesName, x.marker]));
        return [d.full[i], ...lines.map(([name, text]) => `${marks[name] || ""}${name}: ${text}`)].join("<br>");
      },
    },
    xAxis: { type: "category", data: d.labels, axisLabel: { interval: "auto", hideOverlap: true } },
    yAxis: { type: "value", axisLabel: { formatter: (v) => compact.format(v) } },
    series: [
      { type: "bar", name: byKey.left.name, data: byKey.left.values, barMaxWidth: 24, itemStyle: { color: "#dbe9fb" } },
      {
        type: "line", name: d.budget.name, data: d.budget.values, step: "end", symbol: "none",
        lineStyle: { type: "dashed", width: 1.5, color: "#8c959f" }, itemStyle: { color: "#8c959f" },
      },
      line(byKey.planned, "#bf8700"),
      line(byKey.settled, ACCENT),
    ],
  });
}

if (source && echarts) {
  const data = JSON.parse(source.textContent);
  stages(data.stages);
  months(data.months);
  contact(data.contact);
  map(data.map);
  budget(data.budget, data.lang);
  let pending = 0;
  const resize = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => charts.forEach((c) => c.resize()));
  };
  window.addEventListener("resize", resize);
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver(resize);
    charts.forEach((c) => observer.observe(c.getDom()));
  }
}
