// The screening and risk assessment pages. The form is plain HTML rendered at build time
// (macros/tool_pages.py); Python starts in a worker from <head> (tools-boot.js), and from
// then on scores the answers on every change. Nothing is stored and nothing is sent: the only
// ways out are a file the practitioner saves, the printout, and (same device, same origin) the
// safety plan page this page opens.
import { OPS, PAGE_MESSAGES } from "./cse-shared.js";
import { tools } from "./tools-boot.js";
import {
  collapseAbove, protectScreen, refreshMirrors, saved, savedOn, setMessage, setUpPage, whenFileChosen,
} from "./tool-common.js";
// The components' scripts sit beside their templates (overrides/partials/tools/, built to
// site/partials/tools/).
import { caseFields, setCase } from "../../partials/tools/case-header.js";
import { factValues, fillFacts, showFacts } from "../../partials/tools/facts.js";
import { resultView } from "../../partials/tools/result.js";

function setUp(root) {
  const form = root.querySelector("form[data-tool]");
  const tool = form.dataset.tool;
  collapseAbove(form.querySelector("[data-question]"));
  showFacts(form);
  const { resultBox, renderResult, renderError, clearResult } = resultView(root, form);
  // Python started from <head> (tools-boot.js); the form is usable meanwhile.
  const progress = setUpPage(root, form, resultBox, tools,
    "Starting. You can answer the questions now; the result appears here when the tools are ready");
  let ready = false;

  // --- reading and filling the form ---------------------------------------------------------

  function gather() {
    const answers = {};
    for (const fieldset of form.querySelectorAll("[data-question]")) {
      const checked = fieldset.querySelector("input[type=radio]:checked");
      answers[fieldset.dataset.question] = checked ? checked.value : null;
    }
    const notes = {};
    for (const area of form.querySelectorAll("textarea[data-notes]")) notes[area.dataset.notes] = area.value;
    const review = form.elements.namedItem("review_date");
    return {
      tool,
      age: form.elements.namedItem("age").value.trim(),
      answers,
      notes,
      review_date: review ? review.value || null : null,
      facts: factValues(form),
      case: caseFields(form),
    };
  }

  function fill(file) {
    form.reset();
    form.elements.namedItem("age").value = file.age === null || file.age === undefined ? "" : String(file.age);
    for (const [question, answer] of Object.entries(file.answers || {})) {
      const input = form.querySelector(`input[type=radio][name="${CSS.escape(question)}"][value="${CSS.escape(answer)}"]`);
      if (input) input.checked = true;
    }
    for (const area of form.querySelectorAll("textarea[data-notes]")) {
      area.value = (file.notes || {})[area.dataset.notes] || "";
    }
    const review = form.elements.namedItem("review_date");
    if (review) review.value = file.review_date || "";
    setCase(form, file.case);
    fillFacts(form, file.facts);
    refreshMirrors(root);
  }

  // --- messages next to the questions (the result itself: partials/tools/result.js) --------

  function clearFieldErrors() {
    for (const box of root.querySelectorAll("[data-error-for]")) {
      box.hidden = true;
      box.textContent = "";
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  function showFieldError(field, message) {
    const box = root.querySelector(`[data-error-for="${CSS.escape(field || "")}"]`);
    if (!box) return false;
    box.textContent = message;
    box.hidden = false;
    const name = field.startsWith("answers.") ? field.slice(8) : field;
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) input.setAttribute("aria-invalid", "true");
    return true;
  }

  // --- scoring on every change (one call at a time; the latest answers always win) ----------

  let running = false;
  let again = false;
  async function update() {
    if (!ready) return;
    if (running) { again = true; return; }
    running = true;
    try {
      do {
        again = false;
        const response = await tools.call({ op: OPS.assess, ...gather() });
        if (again) continue;
        clearFieldErrors();
        if (response.ok) renderResult(response.result);
        else renderError(response, showFieldError(response.field, response.error));
      } while (again);
    } finally {
      running = false;
    }
  }

  const onChange = (event) => {
    showFacts(form);
    // Notes, recorded facts and the case header do not change the level.
    if (event.target && event.target.matches("textarea[data-notes], [data-fact], [data-case]")) return;
    update();
  };
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);

  tools.ready.then(
    () => {
      ready = true;
      progress.done();
      update();
    },
    (error) => {
      progress.failed(error.message,
        "You can still fill in this form and print it, and work out the level from the rules on the How the tools decide page. Saving to a file and opening a file need the tools.");
      for (const action of ["save", "open", "plan"]) {
        root.querySelectorAll(`[data-action="${action}"]`).forEach((node) => {
          (node.closest(".cse-file") || node).hidden = true;
        });
      }
    },
  );

  // --- buttons ------------------------------------------------------------------------------

  const onAction = (action, handler) => root.querySelectorAll(`button[data-action="${action}"]`)
    .forEach((button) => button.addEventListener("click", () => handler(button)));

  onAction("print", () => window.print());

  onAction("clear", () => {
    if (!window.confirm("Clear every answer and note on this page? Anything not saved to a file will be lost.")) return;
    form.reset();
    showFacts(form);
    refreshMirrors(root);
    clearFieldErrors();
    setMessage(root, "");
    screen.saved();
    update();
  });

  onAction("save", async () => {
    const response = await tools.call({ op: OPS.save, ...gather() });
    if (!response.ok) {
      setMessage(root, `Not saved: ${response.error}`);
      if (response.field) showFieldError(response.field, response.error);
      return;
    }
    saved(root, response);
    screen.saved();
  });

  const UNCHANGED = "Your answers on screen have not changed.";
  const openInput = root.querySelector('input[type=file][data-action="open"]');
  whenFileChosen(openInput, root, tools, { op: OPS.load, what: "a saved CSE tool file", unchanged: UNCHANGED }, (response) => {
    if (response.file.tool !== tool) {
      setMessage(root, `This file holds answers for the ${response.result.tool_title}. Open it on that tool's page. ${UNCHANGED}`);
      return;
    }
    fill(response.file);
    clearFieldErrors();
    setMessage(root, `Opened the answers saved on ${savedOn(response.file.saved_at)}.`, "info");
    screen.saved();
    update();
  });

  // --- carrying the answers to a safety plan (same device, no storage) ----------------------
  // The plan page, opened by us, posts a "ready" message (protocol.PAGE_MESSAGES); we answer only windows we opened, and
  // only to our own origin.
  const opened = new Set();

  // --- leaving the page: nothing typed stays behind (back/forward cache, shared computers) ----
  const screen = protectScreen(root, {
    clear() {
      showFacts(form);
      clearFieldErrors();
      clearResult();
      opened.clear();
    },
    restored: () => update(),
  });
  onAction("plan", (planButton) => {
    const win = window.open(`${planButton.dataset.planUrl}#from-assessment`);
    if (win) opened.add(win);
    else setMessage(root, "The safety plan page did not open (a pop-up blocker may have stopped it). Save this assessment to a file and open it on the safety plan page instead.");
  });
  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || !opened.has(event.source)) return;
    if (!event.data || event.data.type !== PAGE_MESSAGES.ready) return;
    const { age, answers, review_date: reviewDate, facts, notes } = gather();
    event.source.postMessage({ type: PAGE_MESSAGES.assessment, tool, age, answers, review_date: reviewDate, facts,
      notes, case: caseFields(form) }, window.location.origin);
  });
}

document.querySelectorAll("[data-cse-tool]").forEach(setUp);
