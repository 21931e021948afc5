// Plain SVG charts drawn from the profile's shown tables (never from files). Each chart is an
// image with a title (role="img" + <title>); its table sits beside it for screen readers. Hidden
// counts ("<5", "[c]") and rounded totals are not drawn: a bar is drawn only for a shown count.
const SVG = "http://www.w3.org/2000/svg";

function node(tag, attrs = {}, text = null) {
  const item = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) item.setAttribute(key, String(value));
  if (text !== null) item.textContent = text;
  return item;
}

function frame(width, height, title) {
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "cse-chart", "data-chart": "" });
  svg.append(node("title", {}, title));
  return svg;
}

const shown = (value) => (typeof value === "number" ? value : 0);

// Stacked columns: one per row of the table (a period), one colour per column (a category).
export function stackedColumns(table, title) {
  const width = 560;
  const height = 260;
  const left = 36;
  const bottom = 40;
  const rows = table.rows;
  const totals = rows.map((row) => row.cells.reduce((sum, v) => sum + shown(v), 0));
  const top = Math.max(1, ...totals);
  const step = (width - left - 8) / Math.max(1, rows.length);
  const svg = frame(width, height + 60, title);
  svg.append(node("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "cse-chart__axis" }));
  svg.append(node("text", { x: 2, y: 12 }, String(top)), node("text", { x: 2, y: height - bottom }, "0"));
  rows.forEach((row, i) => {
    let y = height - bottom;
    row.cells.forEach((value, c) => {
      const h = (shown(value) / top) * (height - bottom - 16);
      if (h > 0) {
        y -= h;
        svg.append(node("rect", { x: left + i * step + 2, y, width: Math.max(2, step - 4), height: h,
          class: `cse-chart__bar--${c}`, "data-value": value, "data-row": row.label, "data-column": table.columns[c] }));
      }
    });
    svg.append(node("text", { x: left + i * step + 2, y: height - bottom + 14 }, row.label));
  });
  table.columns.forEach((column, c) => {
    const x = left + (c % 3) * 175;
    const y = height + 4 + Math.floor(c / 3) * 18;
    svg.append(node("rect", { x, y, width: 12, height: 12, class: `cse-chart__bar--${c}` }),
      node("text", { x: x + 16, y: y + 10 }, column));
  });
  return svg;
}

// Horizontal bars: one per row of a one-column table (the most common indicators).
export function bars(table, title) {
  const width = 560;
  const line = 22;
  const label = 300;
  const rows = table.rows;
  const top = Math.max(1, ...rows.map((row) => shown(row.cells[0])));
  const svg = frame(width, rows.length * line + 8, title);
  rows.forEach((row, i) => {
    const y = 4 + i * line;
    const text = row.label.length > 48 ? `${row.label.slice(0, 46)}…` : row.label;
    svg.append(node("text", { x: 0, y: y + 14 }, text));
    const value = row.cells[0];
    const w = (shown(value) / top) * (width - label - 40);
    if (w > 0) {
      svg.append(node("rect", { x: label, y, width: w, height: line - 6, class: "cse-chart__bar--0",
        "data-value": value, "data-row": row.label }));
    }
    svg.append(node("text", { x: label + w + 4, y: y + 14 }, words(value)));
  });
  return svg;
}

// How a shown value reads: a count, "fewer than 5", "withheld" or "about 25".
export function words(value) {
  if (typeof value === "number") return String(value);
  if (value === "<5") return "fewer than 5";
  if (value === "[c]") return "withheld";
  if (typeof value === "string" && value.startsWith("~")) return `about ${value.slice(1)}`;
  return String(value);
}
