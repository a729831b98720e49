// The dashboard script, first half: building DOM nodes (text only, never innerHTML), calling the
// admin API with the key from session storage, formatting, and the usage chart as inline SVG.
// Plain browser JavaScript kept as a string (the project's TypeScript has no DOM types); it runs in
// the page's one inline script and must use no template literals.
export const dashboardHelpers = String.raw`
const STORAGE = "pedigree.adminKey";
const SVG_NS = "http://www.w3.org/2000/svg";
const byId = (id) => document.getElementById(id);

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
function setAttributes(node, attributes) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  return node;
}
const h = (tag, attributes, ...children) => append(setAttributes(document.createElement(tag), attributes), children);
const svg = (tag, attributes, ...children) => append(setAttributes(document.createElementNS(SVG_NS, tag), attributes), children);
const replace = (node, ...children) => { node.replaceChildren(); return append(node, children); };

let adminKey = sessionStorage.getItem(STORAGE);

async function api(method, path, body) {
  const headers = { authorization: "Bearer " + adminKey };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const detail = data && data.error ? data.error : {};
    const error = new Error(detail.message || ("HTTP " + response.status));
    error.status = response.status;
    error.code = detail.code || null;
    throw error;
  }
  return data;
}

const formatTime = (iso) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "");
const formatNumber = (value) => Number(value).toLocaleString("en-US");
function formatP(p) {
  if (typeof p !== "number" || !Number.isFinite(p)) return String(p);
  return p >= 1e-4 ? p.toPrecision(3) : p.toExponential(1);
}
function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Lines of one metric per key over the buckets; at most eight lines, the rest summed as one. */
function usageChart(buckets, lines, bucket) {
  const width = 880, height = 240, left = 52, right = 14, top = 10, bottom = 26;
  const count = buckets.length;
  let max = 0;
  for (const line of lines) for (const value of line.values) max = Math.max(max, value);
  const ceiling = niceCeiling(Math.max(max, 1));
  const x = (i) => left + (count <= 1 ? 0 : (i * (width - left - right)) / (count - 1));
  const y = (value) => top + (height - top - bottom) * (1 - value / ceiling);
  const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "chart", role: "img", "aria-label": "usage per key" });
  for (let k = 0; k <= 4; k++) {
    const value = (ceiling * k) / 4;
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: k === 0 ? "axis" : "grid-line" }));
    chart.append(svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, formatNumber(value)));
  }
  const label = (iso) => (bucket === "day" ? iso.slice(0, 10) : iso.slice(11, 16));
  for (const i of [...new Set([0, Math.floor((count - 1) / 2), count - 1])]) {
    chart.append(svg("text", { x: x(i), y: height - 8, "text-anchor": i === 0 ? "start" : i === count - 1 ? "end" : "middle" }, label(buckets[i])));
  }
  lines.forEach((line, index) => {
    const points = line.values.map((value, i) => x(i).toFixed(1) + "," + y(value).toFixed(1)).join(" ");
    chart.append(svg("polyline", { points, class: "series c" + (index % 8), "data-key": line.id || "" }, svg("title", {}, line.label)));
  });
  return chart;
}
`;
