// The safety plan and disruption plan pages (forms rendered by macros/tool_pages.py). Python runs
// in a worker started at once; it drafts plans from assessments, checks files and finds what is
// overdue. Nothing is stored and nothing is sent: plans leave the page only as a saved file or a
// printout. A safety plan can also be started from an assessment page on the same device: that
// page opens this one with "#from-assessment", we post a "ready" message to it (protocol.PAGE_MESSAGES), and it answers
// with the answers through postMessage (our own origin only).
import { tools } from "./tools-boot.js";
import {
  FILE_VERSION, answersFromOpener, clearOverdueMarks, collapseAbove, el, longDate, protectScreen, refreshMirrors, savedOn, saved,
  setMessage, setUpPage, whenFileChosen, todayIso,
} from "./tool-common.js";
// The components' scripts sit beside their templates (overrides/partials/tools/, built to
// site/partials/tools/).
import { caseFields, fillCase, setCase } from "../../partials/tools/case-header.js";
import { ROW_REQUIRED, isBlank, missingOf, planRows, rowData } from "../../partials/tools/plan-row.js";

import { FORMATS, OPS } from "./cse-shared.js";

const SAFETY = FORMATS.safety_plan;
const DISRUPTION = FORMATS.disruption_plan;
const META_FIELDS = ["tool", "tool_version", "age", "level", "label", "provisional", "start",
  "immediate_action", "judgement_note", "emergency_note"];
const NOT_CHANGED = "The plan on screen has not changed.";
// A long plan is drawn a few rows at a time, yielding between batches so the page never freezes
// (a plan at the file size limit has 200 rows of long notes): the screen says it is still opening.
// Drawing a row costs little script but much layout (its boxes' text), which the browser does
// once the script yields; waiting for the next frame (or 100 ms when the tab is hidden) lets it
// lay out and draw each batch in turn.
const ROWS_PER_BATCH = 8;
const STANDING_PREFIX = "plan:"; // a standing row's risk (planning.STANDING_PREFIX)
const nextFrame = () => new Promise((resolve) => {
  const timer = setTimeout(resolve, 100);
  requestAnimationFrame(() => { clearTimeout(timer); setTimeout(resolve, 0); });
});

function setUp(root) {
  const kind = root.dataset.csePlan; // "safety" or "disruption"
  const form = root.querySelector("form");
  collapseAbove(root);
  const status = root.querySelector("[data-status]");
  const progress = setUpPage(root, form, status, tools, "Starting. You can fill in the plan now");
  let ready = false;

  const field = (name) => form.querySelector(`[data-field="${name}"]`);
  const page = kind === "safety" ? safetyPlan() : disruptionPlan();

  // --- safety plan ----------------------------------------------------------------------------

  function safetyPlan() {
    const tbody = form.querySelector("[data-rows]");
    const source = form.querySelector("[data-plan-source]");
    const immediate = form.querySelector("[data-immediate]");
    let meta = {};
    let drawing = 0; // which fill() is drawing rows; a newer fill or a clear stops an older one
    const { makeRow, renumber, labelRow } = planRows(tbody, root.querySelector("template[data-row-template]"));

    // The rows, drawn in batches; false if another fill or a clear came first.
    async function drawRows(rows) {
      const mine = ++drawing;
      tbody.replaceChildren();
      tbody.setAttribute("aria-busy", "true");
      for (let start = 0; start < rows.length; start += ROWS_PER_BATCH) {
        const batch = rows.slice(start, start + ROWS_PER_BATCH).map((row) => makeRow(row));
        batch.forEach((row, index) => labelRow(row, start + index + 1));
        tbody.append(...batch);
        batch.forEach((row) => refreshMirrors(row)); // the print copies, a batch at a time
        if (rows.length > ROWS_PER_BATCH) {
          setMessage(root, `Opening the plan: ${Math.min(start + ROWS_PER_BATCH, rows.length)} of ${rows.length} rows drawn.`, "info");
          await nextFrame();
          if (mine !== drawing) return false;
        }
      }
      tbody.removeAttribute("aria-busy");
      renumber(true);
      return true;
    }

    function showSource() {
      source.replaceChildren();
      if (!meta.label) {
        source.append(el("p", {}, "Not drafted from an assessment."));
      } else {
        const bits = [`Drafted from the ${meta.tool === "screening" ? "screening tool" : "risk assessment"}`];
        if (meta.start) bits.push(` on ${longDate(meta.start)}`);
        bits.push(`: ${meta.label}${meta.provisional ? " (provisional: some questions were not answered)" : ""}.`);
        if (meta.age !== null && meta.age !== undefined) bits.push(` Child's age: ${meta.age}.`);
        source.append(el("p", {}, bits.join("")));
      }
      immediate.hidden = !meta.immediate_action;
      immediate.replaceChildren();
      if (meta.immediate_action) {
        immediate.append(el("p", { class: "cse-immediate__title" }, "Act now"), el("p", {}, meta.immediate_action));
      }
    }

    return {
      format: SAFETY,
      start() {
        tbody.replaceChildren();
        renumber();
        showSource();
        root.querySelector('[data-action="add-row"]')?.addEventListener("click", () => {
          const limit = Number(tbody.dataset.maxRows || Infinity);
          if (tbody.querySelectorAll("tr[data-row]").length >= limit) {
            setMessage(root, `This plan already has ${limit} rows, the most a plan can hold. Combine or remove rows before adding another.`);
            return;
          }
          const row = makeRow();
          tbody.append(row);
          renumber();
          row.querySelector('[data-part="risk_text"]').focus();
        });
        tbody.addEventListener("click", (event) => {
          const button = event.target.closest('[data-action="remove-row"]');
          if (!button) return;
          const row = button.closest("tr");
          const next = row.nextElementSibling || row.previousElementSibling;
          row.remove();
          renumber();
          const focusTarget = next && next.querySelector && next.querySelector('[data-action="remove-row"]');
          (focusTarget || root.querySelector('[data-action="add-row"]'))?.focus();
          checkOverdue();
        });
      },
      gather() {
        const rows = [];
        const problems = [];
        Array.from(tbody.querySelectorAll("tr[data-row]")).forEach((row, index) => {
          const data = rowData(row);
          if (isBlank(data)) return;
          const missing = missingOf(data);
          if (missing.length) {
            // Incomplete rows are left out of overdue checks, and stop a save with a plain message.
            problems.push(`Row ${index + 1} needs ${missing.map((p) => ROW_REQUIRED[p]).join(", ")}.`);
            return;
          }
          rows.push({ row, data });
        });
        const factors = field("protective_factors").value.split("\n").map((s) => s.trim()).filter(Boolean);
        const plan = {
          format: SAFETY,
          version: FILE_VERSION,
          ...meta,
          tool: meta.tool || form.dataset.tool,
          rows: rows.map(({ data }) => ({ ...data, risk_text: data.risk_text.trim() })),
          child_views: field("child_views").value,
          family_views: field("family_views").value,
          protective_factors: factors,
          assessment_notes: field("assessment_notes").value,
          missing_contacts: field("missing_contacts").value,
          agreed_level: field("agreed_level").value === "" ? null : Number(field("agreed_level").value),
          decisions: field("decisions").value,
          next_review_meeting: field("next_review_meeting").value || null,
          case: caseFields(form),
        };
        return { plan, problems, rowNodes: rows.map(({ row }) => row) };
      },
      async fill(plan) {
        if (!(await drawRows(plan.rows))) return false;
        meta = {};
        for (const key of META_FIELDS) if (plan[key] !== undefined) meta[key] = plan[key];
        field("child_views").value = plan.child_views || "";
        field("family_views").value = plan.family_views || "";
        field("protective_factors").value = (plan.protective_factors || []).join("\n");
        field("assessment_notes").value = plan.assessment_notes || "";
        field("missing_contacts").value = plan.missing_contacts || "";
        field("agreed_level").value = plan.agreed_level === null || plan.agreed_level === undefined ? "" : String(plan.agreed_level);
        field("decisions").value = plan.decisions || "";
        field("next_review_meeting").value = plan.next_review_meeting || "";
        // A saved plan brings its case header; a drafted one has none, and keeps what is typed.
        if (plan.case) setCase(form, plan.case);
        showSource();
        return true;
      },
      clear() {
        meta = {};
        drawing += 1;
        form.reset();
        tbody.replaceChildren();
        renumber();
        showSource();
      },
      markOverdue(items, rowNodes) {
        clearOverdueMarks(tbody);
        // Each item names its row's position in the plan that was checked (one lookup per item).
        for (const item of items) {
          const row = rowNodes[item.index];
          if (!row || item.what === "review meeting") continue;
          row.classList.add("cse-row--overdue");
          const mark = row.querySelector("[data-overdue]");
          const what = item.what === "due" ? "date due" : "review date";
          const line = `Overdue: the ${what} (${longDate(item.date)}) passed ${item.days_overdue} ${item.days_overdue === 1 ? "day" : "days"} ago.`;
          mark.textContent = mark.textContent ? `${mark.textContent} ${line}` : line;
          mark.hidden = false;
        }
      },
    };
  }

  // --- disruption plan ------------------------------------------------------------------------

  function disruptionPlan() {
    const tactics = () => Array.from(form.querySelectorAll("[data-tactic]"));
    const part = (node, name) => node.querySelector(`[data-part="${name}"]`);
    return {
      format: DISRUPTION,
      start() {},
      gather() {
        const nodes = tactics();
        const plan = {
          format: DISRUPTION,
          version: FILE_VERSION,
          tool: form.dataset.tool,
          tactics: nodes.map((node) => ({
            id: node.dataset.tactic,
            title: node.querySelector("legend label").textContent,
            checked: part(node, "checked").checked,
            owner: part(node, "owner").value,
            date: part(node, "date").value || null,
            done: part(node, "done").checked,
            notes: part(node, "notes").value,
          })),
          locations: field("locations").value,
          people: field("people").value,
          vehicles: field("vehicles").value,
          next_review_meeting: field("next_review_meeting").value || null,
          case: caseFields(form),
        };
        return { plan, problems: [], rowNodes: nodes };
      },
      fill(plan) {
        form.reset();
        const byId = new Map(plan.tactics.map((t) => [t.id, t]));
        for (const node of tactics()) {
          const t = byId.get(node.dataset.tactic);
          if (!t) continue;
          part(node, "checked").checked = Boolean(t.checked);
          part(node, "owner").value = t.owner || "";
          part(node, "date").value = t.date || "";
          part(node, "done").checked = Boolean(t.done);
          part(node, "notes").value = t.notes || "";
        }
        field("locations").value = plan.locations || "";
        field("people").value = plan.people || "";
        field("vehicles").value = plan.vehicles || "";
        field("next_review_meeting").value = plan.next_review_meeting || "";
        if (plan.case) setCase(form, plan.case);
        return true;
      },
      clear() {
        form.reset();
      },
      markOverdue(items, nodes) {
        clearOverdueMarks(form);
        for (const item of items) {
          const node = nodes[item.index];
          if (!node || item.what !== "tactic") continue;
          node.classList.add("cse-row--overdue");
          const mark = node.querySelector("[data-overdue]");
          mark.textContent = `Overdue: the date (${longDate(item.date)}) passed ${item.days_overdue} ${item.days_overdue === 1 ? "day" : "days"} ago.`;
          mark.hidden = false;
        }
      },
    };
  }

  // --- shared: overdue, files, buttons --------------------------------------------------------

  let overdueTimer = null;
  async function checkOverdue() {
    if (!ready) return;
    const { plan, rowNodes } = page.gather();
    const response = await tools.call({ op: OPS.overdue, plan, today: todayIso() });
    const meeting = root.querySelector("[data-meeting-overdue]");
    if (!response.ok) { page.markOverdue([], rowNodes); return; }
    page.markOverdue(response.items, rowNodes);
    const late = response.items.find((item) => item.what === "review meeting");
    const input = field("next_review_meeting");
    let note = meeting;
    if (!note) {
      note = el("p", { class: "cse-overdue", "data-meeting-overdue": "", hidden: "" });
      input.insertAdjacentElement("afterend", note);
    }
    note.hidden = !late;
    note.textContent = late ? `Overdue: the review meeting date (${longDate(late.date)}) has passed.` : "";
  }
  form.addEventListener("change", () => {
    clearTimeout(overdueTimer);
    overdueTimer = setTimeout(checkOverdue, 150);
  });

  function afterFill(message) {
    form.dataset.touched = "yes"; // a plan opened or drafted before Python was ready is kept
    refreshMirrors(root); // quick: a print copy already drawn is left as it is
    setMessage(root, message, "info");
    setTimeout(checkOverdue, 0); // a task of its own: a long plan takes a moment to read back
  }

  // "Date of this plan" starts as today (the browser's own date), when a plan is started or drafted.
  function dateToday() {
    fillCase(form, { date: todayIso() });
  }

  // What a meeting record agreed (meeting-page.js sends it with the combined answers).
  function fillMeeting(agreed) {
    if (!agreed || kind !== "safety") return;
    if (agreed.agreed_level !== null && agreed.agreed_level !== undefined) field("agreed_level").value = String(agreed.agreed_level);
    if (agreed.next_review) field("next_review_meeting").value = agreed.next_review;
    if (agreed.decisions && !field("decisions").value) field("decisions").value = agreed.decisions;
    fillCase(form, { meeting_date: agreed.date, chair: agreed.chair });
  }

  async function draftFrom(assessment, how) {
    const response = await tools.call({
      op: OPS.plan, tool: assessment.tool, age: assessment.age, answers: assessment.answers, facts: assessment.facts,
      notes: assessment.notes, today: todayIso(),
    });
    if (!response.ok) {
      setMessage(root, `A plan could not be drafted from this assessment. ${response.error} ${NOT_CHANGED}`);
      return;
    }
    if (!(await page.fill(response.plan))) return;
    // The case header comes across too (same device), each field to the field of its own name
    // (the assessment's practitioner is the plan's practitioner, not its lead professional);
    // fields already filled in here are kept.
    fillCase(form, { age: assessment.age, ...(assessment.case || {}), date: undefined });
    dateToday();
    fillMeeting(assessment.meeting);
    const n = response.plan.rows.filter((row) => !row.risk.startsWith(STANDING_PREFIX)).length;
    const standing = response.plan.rows.length - n;
    afterFill(`Drafted from ${how}: ${n} ${n === 1 ? "row" : "rows"} for the risks found, and ${standing} for what every plan covers. Check and change each row to what the meeting agrees, and name the person for each action.`);
    screen.changed();
  }

  root.querySelector('[data-action="print"]')?.addEventListener("click", () => window.print());

  root.querySelector('[data-action="clear"]')?.addEventListener("click", () => {
    if (!window.confirm("Clear everything in this plan? Anything not saved to a file will be lost.")) return;
    page.clear();
    dateToday();
    refreshMirrors(root);
    setMessage(root, "");
    screen.saved();
    checkOverdue();
  });

  root.querySelector('[data-action="save"]')?.addEventListener("click", async () => {
    const { plan, problems } = page.gather();
    if (problems.length) {
      setMessage(root, `Not saved. ${problems.join(" ")} Fill these in, or remove the row.`);
      return;
    }
    const response = await tools.call({ op: OPS.save_plan, plan });
    if (!response.ok) {
      setMessage(root, `Not saved: ${response.error}`);
      return;
    }
    saved(root, response);
    screen.saved();
  });

  const openPlan = root.querySelector('input[type=file][data-action="open-plan"]');
  whenFileChosen(openPlan, root, tools, { op: OPS.load_plan, what: "a saved plan", unchanged: NOT_CHANGED }, async (response) => {
    if (response.plan.format !== page.format) {
      const other = response.kind === "safety-plan" ? "safety plan" : "disruption plan";
      setMessage(root, `This file is a saved ${other}. Open it on the ${other} page. ${NOT_CHANGED}`);
      return;
    }
    if (!(await page.fill(response.plan))) return;
    afterFill(`Opened the plan saved on ${savedOn(response.plan.saved_at)}.`);
    screen.saved();
  });

  const openAssessment = root.querySelector('input[type=file][data-action="open-assessment"]');
  whenFileChosen(openAssessment, root, tools, { op: OPS.load, what: "a saved assessment", unchanged: NOT_CHANGED },
    (response) => draftFrom(response.file, "the saved assessment"));

  // --- from an assessment page on this device -------------------------------------------------
  let pendingAssessment = null;
  const asked = kind === "safety" ? answersFromOpener((data) => {
    if (ready) draftFrom(data, "the assessment");
    else pendingAssessment = data;
  }) : "none";
  if (asked === "closed") {
    setMessage(root, "The assessment page that opened this plan has been closed, so its answers cannot be brought over. Save the assessment to a file and use \"Open a saved assessment file\".");
  }

  // --- leaving the page: nothing typed stays behind (back/forward cache, shared computers) ----
  const screen = protectScreen(root, {
    clear() {
      clearTimeout(overdueTimer);
      page.clear();
      clearOverdueMarks(root);
      pendingAssessment = null;
      delete form.dataset.touched;
      dateToday();
    },
    restored: () => checkOverdue(),
  });

  page.start();
  dateToday();
  tools.ready.then(
    async () => {
      ready = true;
      progress.done();
      if (kind === "disruption") {
        // The tactics come from the definition; the page was rendered from the same one.
        const response = await tools.call({ op: OPS.plan, tool: form.dataset.tool });
        if (response.ok && !form.dataset.touched) {
          await page.fill(response.plan);
          refreshMirrors(root);
        }
      }
      if (pendingAssessment) {
        const data = pendingAssessment;
        pendingAssessment = null;
        await draftFrom(data, "the assessment");
      } else {
        checkOverdue();
      }
    },
    (error) => {
      progress.failed(error.message,
        "You can still fill in this page and print it. Saving, opening files and drafting from an assessment need the tools.");
      root.querySelectorAll('[data-action="save"], [data-action^="open"]').forEach((node) => {
        (node.closest(".cse-file") || node).hidden = true;
      });
    },
  );
  form.addEventListener("input", () => { form.dataset.touched = "yes"; }, { once: true });
}

document.querySelectorAll("[data-cse-plan]").forEach(setUp);
