// A safety plan row's script (template: plan-row.html, styles: plan-row.css): making a row from
// the page's <template data-row-template>, numbering the rows' labels, and reading a row back.
// MkDocs copies this file to site/partials/tools/; plan-page.js imports it from there.
import { el } from "../../assets/js/tool-common.js";

export const ROW_PARTS = ["risk_text", "action", "lead_agency", "person", "due", "review", "notes"];
export const ROW_REQUIRED = { risk_text: "the risk", action: "the agreed action", lead_agency: "the lead agency",
  due: "the date due", review: "the review date" };

// The rows of one plan's table (`tbody`, [data-rows]), made from `rowTemplate`.
export function planRows(tbody, rowTemplate) {
  let rowCounter = 0;
  let addedCounter = 0;

  function emptyRow() {
    return el("tr", { "data-empty": "" }, el("td", { colspan: "7" },
      "No risks listed yet. Start the plan from an assessment, open a saved file, or add a row."));
  }

  // One row's labels, for row number n.
  function labelRow(row, n) {
    row.querySelector('[data-part="risk_text"]').setAttribute("aria-label", `Risk, row ${n}`);
    row.querySelector('[data-part="action"]').setAttribute("aria-label", `Agreed action, row ${n}`);
    row.querySelector('[data-part="lead_agency"]').setAttribute("aria-label", `Lead agency, row ${n}`);
    row.querySelector('[data-part="person"]').setAttribute("aria-label", `Named person, row ${n}`);
    row.querySelector('[data-part="due"]').setAttribute("aria-label", `Date due, row ${n}`);
    row.querySelector('[data-part="review"]').setAttribute("aria-label", `Review date, row ${n}`);
    row.querySelector('[data-part="notes"]').setAttribute("aria-label", `Notes, row ${n}`);
    row.querySelector("[data-row-number]").textContent = ` (row ${n})`; // on screen only
    row.querySelector('[data-action="remove-row"]').textContent = `Remove row ${n}`;
  }

  // Every row's labels (after a row is added or removed), and the "no risks yet" line when empty.
  function renumber(labelled = false) {
    const rows = Array.from(tbody.querySelectorAll("tr[data-row]"));
    if (!labelled) rows.forEach((row, index) => labelRow(row, index + 1));
    const empty = tbody.querySelector("[data-empty]");
    if (rows.length && empty) empty.remove();
    if (!rows.length && !empty) tbody.append(emptyRow());
  }

  // A row is a copy of the page's <template data-row-template> (plan-row.html), with "__N__" in
  // its ids replaced by the row's own number.
  function makeRow(data = {}) {
    const k = ++rowCounter;
    const row = rowTemplate.content.firstElementChild.cloneNode(true);
    for (const node of [row, ...row.querySelectorAll("*")]) {
      for (const attr of ["id", "for", "data-mirror"]) {
        const value = node.getAttribute(attr);
        if (value && value.includes("__N__")) node.setAttribute(attr, value.replaceAll("__N__", String(k)));
      }
    }
    row.dataset.risk = data.risk || `added-${++addedCounter}`;
    if (data.counts_as) row.dataset.countsAs = data.counts_as;
    if (data.answer) row.dataset.answer = data.answer;
    for (const part of ROW_PARTS) row.querySelector(`[data-part="${part}"]`).value = data[part] || "";
    // A saved row may leave out the risk's text; show its id then (rows added here have none).
    if (!data.risk_text && data.risk && !data.risk.startsWith("added-")) {
      row.querySelector('[data-part="risk_text"]').value = data.risk;
    }
    row.querySelector('[data-part="done"]').checked = Boolean(data.done);
    return row;
  }

  return { makeRow, renumber, labelRow };
}

export function rowData(row) {
  const data = { risk: row.dataset.risk };
  for (const part of ROW_PARTS) data[part] = row.querySelector(`[data-part="${part}"]`).value.trim();
  data.risk_text = row.querySelector('[data-part="risk_text"]').value;
  data.action = row.querySelector('[data-part="action"]').value;
  data.notes = row.querySelector('[data-part="notes"]').value;
  data.done = row.querySelector('[data-part="done"]').checked;
  if (row.dataset.countsAs) data.counts_as = row.dataset.countsAs;
  if (row.dataset.answer) data.answer = row.dataset.answer;
  return data;
}

// A row with nothing in it is left out; a row missing a required part stops a save.
export const isBlank = (d) => ROW_PARTS.every((p) => !String(d[p] || "").trim()) && !d.done;
export const missingOf = (d) => Object.keys(ROW_REQUIRED).filter((p) => !String(d[p] || "").trim());
