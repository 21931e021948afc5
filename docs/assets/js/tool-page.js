// The screening and risk assessment pages. The form is plain HTML rendered at build time
// (macros/tool_pages.py); Python starts in a worker from <head> (tools-boot.js), and from
// then on scores the answers on every change. Nothing is stored and nothing is sent: the only
// ways out are a file the practitioner saves, the printout, and (same device, same origin) the
// safety plan page this page opens.
import { tools } from "./tools-boot.js";
import {
  caseFields, collapseAbove, longDate, protectScreen, refreshMirrors, saved, savedOn, setMessage, setUpPage,
  whenFileChosen,
} from "./tool-common.js";

const KIND_WORDS = {
  vulnerability: "vulnerability",
  risk_indicator: "risk indicator",
  sign_of_harm: "sign of harm",
};
// Gaps are grouped in this order: what would show harm first.
const GAP_GROUPS = [
  ["sign_of_harm", "Signs of harm"],
  ["risk_indicator", "Risk indicators"],
  ["vulnerability", "Vulnerabilities"],
  ["protective", "Protective factors"],
  ["other", "About the child"],
];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function list(items, className) {
  const ul = el("ul", className ? { class: className } : {});
  for (const item of items) ul.append(el("li", {}, item));
  return ul;
}

function setUp(root) {
  const form = root.querySelector("form[data-tool]");
  const tool = form.dataset.tool;
  collapseAbove(form.querySelector("[data-question]"));
  const resultBox = root.querySelector("#cse-result");
  const body = resultBox.querySelector("[data-result-body]");
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
    refreshMirrors(root);
  }

  function answerLabel(question, answer) {
    const label = form.querySelector(`label[for="q-${CSS.escape(question)}-${CSS.escape(answer)}"]`);
    return label ? label.textContent : answer;
  }

  // --- showing the result -------------------------------------------------------------------

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

  function notesBlock(result) {
    return el("div", { class: "cse-notes" },
      el("p", { class: "cse-note cse-note--emergency" }, el("strong", {}, "In an emergency: "), result.emergency_note),
      el("p", { class: "cse-note cse-note--judgement" }, el("strong", {}, "Your judgement counts: "), result.judgement_note));
  }

  const staticNotes = root.ownerDocument.querySelector("[data-static-notes]");
  function staticNotesResult() {
    const texts = staticNotes ? Array.from(staticNotes.querySelectorAll("p")).map((p) => p.cloneNode(true)) : [];
    return el("div", { class: "cse-notes" }, ...texts);
  }

  // --- the short status and the sticky summary ---------------------------------------------
  // One polite sentence per change ("Category 2, provisional, 6 questions not known yet"), not the
  // whole result; the same words in the summary that stays in view while answering.
  const liveStatus = root.querySelector("[data-live-status]");
  const summary = root.querySelector("[data-summary]");
  const summaryText = root.querySelector("[data-summary-text]");
  function announce(text, level) {
    if (liveStatus.textContent !== text) liveStatus.textContent = text;
    summaryText.textContent = text;
    summary.dataset.level = level;
    summary.hidden = false;
  }
  function statusOf(result) {
    const name = result.label.split(" - ")[0];
    if (!result.provisional) return `${name}, every question answered`;
    const n = result.gaps.length;
    return `${name}, provisional, ${n} ${n === 1 ? "question" : "questions"} not known yet`;
  }

  function groupedGaps(gaps) {
    const kindOf = (gap) => {
      if (gap.kind) return gap.kind;
      const fieldset = form.querySelector(`[data-question="${CSS.escape(gap.question)}"]`);
      return fieldset ? fieldset.dataset.sectionKind : "other";
    };
    const groups = new Map(GAP_GROUPS.map(([kind]) => [kind, []]));
    for (const gap of gaps) (groups.get(kindOf(gap)) || groups.get("other")).push(gap.text);
    const nodes = [];
    for (const [kind, title] of GAP_GROUPS) {
      const items = groups.get(kind);
      if (!items.length) continue;
      nodes.push(el("h4", {}, `${title} (${items.length})`), list(items, `cse-gaps cse-gaps--${kind}`));
    }
    return nodes;
  }

  function renderError(response) {
    resultBox.dataset.level = "";
    resultBox.dataset.state = "error";
    const shown = showFieldError(response.field, response.error);
    announce(`No result yet: ${response.error}`, "");
    body.replaceChildren(
      el("p", { class: "cse-result__error" },
        "The result cannot be worked out until this is put right: ", response.error,
        shown ? " (The message is also shown next to the question.)" : ""),
      staticNotesResult(),
    );
  }

  function renderResult(result) {
    resultBox.dataset.level = String(result.level);
    resultBox.dataset.state = result.provisional ? "provisional" : "complete";
    resultBox.dataset.provisional = result.provisional ? "yes" : "no";
    const nodes = [];
    if (result.immediate_action) {
      nodes.push(el("div", { class: "cse-immediate", "data-immediate": "" },
        el("p", { class: "cse-immediate__title" }, "Act now"), el("p", {}, result.immediate_action)));
    }
    const head = el("div", { class: `cse-result__head cse-level-${result.level}` },
      el("p", { class: "cse-result__level" }, `Level ${result.level}: ${result.label}`,
        result.provisional ? el("span", { class: "cse-badge" }, " (provisional)") : null),
      el("p", { class: "cse-result__summary" }, result.summary),
      // Either the rule that set the level (one sentence) or the score's band, never both.
      result.set_by_rule
        ? el("p", { class: "cse-result__rule" }, `Set by a rule: ${result.set_by_rule.text}`)
        : el("p", { class: "cse-result__score" }, result.score_line));
    if (result.prompt) head.append(el("p", { class: "cse-result__prompt" }, el("strong", {}, "Next: "), result.prompt));
    if (result.vulnerabilities_note) {
      head.append(el("div", { class: "cse-result__vulnerabilities" },
        el("p", {}, result.vulnerabilities_note.text), list(result.vulnerabilities_note.items)));
    }
    if (result.provisional) {
      head.append(el("p", { class: "cse-result__provisional" },
        `This result is provisional: ${result.gaps.length} ${result.gaps.length === 1 ? "item is" : "items are"} not answered yet or not known. The level may change as you answer.`));
    }
    nodes.push(head);

    const main = el("div", { class: "cse-result__main" });
    main.append(el("h3", {}, "Why this level"));
    if (result.reasons.length) {
      main.append(list(result.reasons.map((reason) => {
        if (reason.rule) return `Rule: ${reason.text}`;
        const points = `${reason.points} ${reason.points === 1 ? "point" : "points"}`;
        return `${reason.text} Answer: ${answerLabel(reason.question, reason.answer)}. ${points} (${KIND_WORDS[reason.counts_as] || reason.counts_as}).`;
      }), "cse-reasons"));
    } else {
      main.append(el("p", {}, "No answer so far adds to the score."));
    }
    main.append(el("h3", {}, "What to do next"));
    main.append(list(result.actions));
    if (result.gaps.length) {
      main.append(el("h3", {}, "Not answered yet or not known"), ...groupedGaps(result.gaps));
    }
    const side = el("aside", { class: "cse-result__protective", "aria-label": "Protective factors" },
      el("h3", {}, "Protective factors"));
    if (result.protective_factors.length) {
      side.append(list(result.protective_factors.map((item) => item.text)));
      side.append(el("p", { class: "cse-help" }, "Shown beside the level; they do not lower it."));
    } else {
      side.append(el("p", {}, "None recorded."));
    }
    nodes.push(el("div", { class: "cse-result__grid" }, main, side));
    if (result.review_date) nodes.push(el("p", {}, `Review this assessment by ${longDate(result.review_date)}.`));
    nodes.push(notesBlock(result));
    body.replaceChildren(...nodes);
    announce(statusOf(result), String(result.level));
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
        const response = await tools.call({ op: "assess", ...gather() });
        if (again) continue;
        clearFieldErrors();
        if (response.ok) renderResult(response.result);
        else renderError(response);
      } while (again);
    } finally {
      running = false;
    }
  }

  const onChange = (event) => {
    if (event.target && event.target.matches("textarea[data-notes]")) return; // notes do not change the level
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
    refreshMirrors(root);
    clearFieldErrors();
    setMessage(root, "");
    screen.saved();
    update();
  });

  onAction("save", async () => {
    const response = await tools.call({ op: "save", ...gather() });
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
  whenFileChosen(openInput, root, tools, { op: "load", what: "a saved CSE tool file", unchanged: UNCHANGED }, (response) => {
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
  // The plan page, opened by us, posts {type: "ready"}; we answer only windows we opened, and
  // only to our own origin.
  const opened = new Set();

  // --- leaving the page: nothing typed stays behind (back/forward cache, shared computers) ----
  const screen = protectScreen(root, {
    clear() {
      clearFieldErrors();
      body.replaceChildren();
      resultBox.dataset.level = "";
      resultBox.dataset.state = "";
      resultBox.dataset.provisional = "";
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
    if (!event.data || event.data.type !== "ready") return;
    const { age, answers, review_date: reviewDate } = gather();
    event.source.postMessage({ type: "assessment", tool, age, answers, review_date: reviewDate, case: caseFields(form) },
      window.location.origin);
  });
}

document.querySelectorAll("[data-cse-tool]").forEach(setUp);
