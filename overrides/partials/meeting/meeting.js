// The meeting page's component (meeting.html, meeting.css beside it): draws the merged picture
// that Python returns (cse_tools.meeting.public) and reads and fills the meeting record form.
// Only text nodes are written (textContent), never HTML.
import { el, longDate, savedOn } from "../../assets/js/tool-common.js";

const KIND_TITLES = { "safety-plan": "Safety plan", "disruption-plan": "Disruption plan" };

function levelText(level, label) {
  return level === null || level === undefined ? "No level (a plan without one)" : label;
}

function cell(text) {
  return el("td", {}, text === null || text === undefined || text === "" ? "-" : String(text));
}

export function drawAgencies(tbody, agencies) {
  tbody.replaceChildren(...agencies.map((a) => el("tr", {},
    el("th", { scope: "row" }, a.agency),
    cell(a.tool_title || KIND_TITLES[a.kind] || a.tool),
    cell(a.saved_at ? savedOn(a.saved_at) : ""),
    cell(a.practitioner),
    cell(levelText(a.level, a.label)))));
}

export function drawCombined(box, immediate, combined) {
  box.replaceChildren();
  immediate.replaceChildren();
  immediate.hidden = true;
  if (!combined) {
    box.dataset.level = "";
    box.append(el("p", {}, "No assessment was opened, so there is no combined level. Open the agencies' screening or risk assessment files."));
    return;
  }
  box.dataset.level = String(combined.level);
  box.append(
    el("p", { class: "cse-meeting__level" }, `Combined result: ${combined.label}`),
    el("p", {}, combined.set_by_rule ? `Set by a rule: ${combined.set_by_rule.text}` : combined.score_line),
    el("p", {}, `Worked out with the ${combined.tool_title} rules from every agency's answers, keeping the most concerning answer known to any agency.${combined.provisional ? " Provisional: some questions were not answered by anyone." : ""}`),
  );
  if (combined.immediate_action) {
    immediate.hidden = false;
    immediate.append(el("p", { class: "cse-immediate__title" }, "Act now"), el("p", {}, combined.immediate_action));
  }
}

// Each disagreement with the agencies' answers and a box for how the meeting resolved it.
export function drawDisagreements(box, disagreements, resolutions = {}) {
  box.replaceChildren();
  if (!disagreements.length) {
    box.append(el("p", {}, "The agencies' answers and levels agree."));
    return;
  }
  disagreements.forEach((item, index) => {
    const ident = `resolution-${index}`;
    const list = el("ul", {}, ...item.answers.map((a) => el("li", {},
      `${a.agency}: ${item.kind === "level" ? levelText(a.level, a.label) : a.label}`)));
    const area = el("textarea", { id: ident, rows: "2", "data-resolution": item.question, autocomplete: "off",
      spellcheck: "false", autocorrect: "off", autocapitalize: "off" });
    area.value = resolutions[item.question] || "";
    box.append(el("div", { class: "cse-meeting__disagreement", "data-disagreement": item.question },
      el("p", { class: "cse-meeting__question" }, item.text),
      list,
      item.kind === "answer" ? el("p", {}, `Kept in the combined picture: ${item.combined}.`) : null,
      el("div", { class: "cse-field" }, el("label", { for: ident }, "How the meeting resolved this"), area,
        el("div", { class: "cse-print-text", "data-mirror": ident, "aria-hidden": "true" }))));
  });
}

export function drawUnknown(list, unknown, questions) {
  const texts = new Map(questions.map((q) => [q.question, q.text]));
  list.replaceChildren(...(unknown.length ? unknown.map((id) => el("li", { "data-question": id }, texts.get(id) || id))
    : [el("li", {}, "Every question was answered by at least one agency.")]));
}

export function drawRecorded(box, recorded) {
  const items = [
    ...recorded.facts.map((f) => `${f.agency}, ${f.question_text} ${f.fact}: ${f.text}`),
    ...recorded.said.map((s) => `${s.agency}, what the child or others said: ${s.text}`),
    ...recorded.notes.map((n) => `${n.agency}, ${n.section}: ${n.text}`),
  ];
  box.replaceChildren(items.length ? el("ul", {}, ...items.map((text) => el("li", {}, text)))
    : el("p", {}, "No facts or accounts were recorded in the files opened."));
}

export function drawPlanActions(box, actions) {
  if (!actions.length) {
    box.replaceChildren(el("p", {}, "No plan was opened, or the plans have no actions."));
    return;
  }
  const rows = actions.map((a) => el("tr", {}, cell(a.risk_text), cell(a.action), cell(a.owners.join("; ")),
    cell(a.due ? longDate(a.due) : ""), cell(a.agencies.join("; ")), cell(a.done ? "Done" : "Open")));
  box.replaceChildren(el("table", { class: "cse-meeting__table" },
    el("thead", {}, el("tr", {}, ...["Risk", "Action", "Owners", "Due", "From the plans of", "Status"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows)));
}

// --- the record form ----------------------------------------------------------------------------

function copy(row) {
  row.querySelectorAll("[data-part]").forEach((input) => {
    const mirror = row.querySelector(`[data-copy="${input.dataset.part}"]`);
    if (!mirror) return;
    mirror.textContent = input.type === "date" && input.value ? longDate(input.value) : input.value;
  });
}

export function addRow(tbody, template, values = {}) {
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelectorAll("[data-part]").forEach((input) => { input.value = values[input.dataset.part] || ""; });
  copy(row);
  row.addEventListener("input", () => copy(row));
  tbody.append(row);
  return row;
}

function rowsOf(tbody, parts) {
  return Array.from(tbody.querySelectorAll("tr")).map((row) => Object.fromEntries(parts.map((p) => {
    const value = row.querySelector(`[data-part="${p}"]`).value.trim();
    return [p, p === "due" ? value || null : value];
  }))).filter((row) => Object.values(row).some((v) => v));
}

export function readRecord(form) {
  const field = (name) => form.querySelector(`[data-record-field="${name}"]`);
  const outcome = form.querySelector('[data-record-field="outcome"]:checked');
  const resolutions = {};
  form.querySelectorAll("[data-resolution]").forEach((area) => {
    if (area.value.trim()) resolutions[area.dataset.resolution] = area.value.trim();
  });
  return {
    date: field("date").value || null,
    chair: field("chair").value,
    attendees: rowsOf(form.querySelector("[data-attendees]"), ["agency", "role"]),
    agreed_level: field("agreed_level").value === "" ? null : Number(field("agreed_level").value),
    reason: field("reason").value,
    decisions: field("decisions").value,
    resolutions,
    actions: rowsOf(form.querySelector("[data-record-actions]"), ["risk", "action", "owner", "due"]),
    outcome: outcome ? outcome.value : null,
  };
}

export function fillRecord(form, record, templates) {
  const field = (name) => form.querySelector(`[data-record-field="${name}"]`);
  field("date").value = record.date || "";
  field("chair").value = record.chair || "";
  field("agreed_level").value = record.agreed_level === null || record.agreed_level === undefined ? "" : String(record.agreed_level);
  field("reason").value = record.reason || "";
  field("decisions").value = record.decisions || "";
  form.querySelectorAll('[data-record-field="outcome"]').forEach((radio) => { radio.checked = radio.value === record.outcome; });
  const attendees = form.querySelector("[data-attendees]");
  attendees.replaceChildren();
  (record.attendees || []).forEach((a) => addRow(attendees, templates.attendee, a));
  const actions = form.querySelector("[data-record-actions]");
  actions.replaceChildren();
  (record.actions || []).forEach((a) => addRow(actions, templates.action, a));
}
