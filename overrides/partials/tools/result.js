// An assessment's result, its script (template: result.html, styles: result.css): the full
// result with the reasons and the grouped gaps, the sticky summary that stays in view while
// answering and the short polite status, the only live region. MkDocs copies this file to
// site/partials/tools/; tool-page.js imports it from there.
import { el, longDate } from "../../assets/js/tool-common.js";
// How a kind reads in a reason, and the groups of the gaps in Python's order (what would show
// harm first), from cse_tools.protocol.
import { GAP_GROUPS, KIND_WORDS } from "../../assets/js/cse-shared.js";

function list(items, className) {
  const ul = el("ul", className ? { class: className } : {});
  for (const item of items) ul.append(el("li", {}, item));
  return ul;
}

// The result of the assessment `form` inside the tool `root` ([data-cse-tool]).
export function resultView(root, form) {
  const resultBox = root.querySelector("#cse-result");
  const body = resultBox.querySelector("[data-result-body]");

  function answerLabel(question, answer) {
    const label = form.querySelector(`label[for="q-${CSS.escape(question)}-${CSS.escape(answer)}"]`);
    return label ? label.textContent : answer;
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
    const name = result.short_label;
    if (!result.provisional) return `${name}, every question answered`;
    const n = result.gaps.length;
    return `${name}, provisional, ${n} ${n === 1 ? "question" : "questions"} not known yet`;
  }

  function groupedGaps(gaps) {
    const kindOf = (gap) => {
      // The section the form shows the question in (an age rule may make it count as another kind).
      if (gap.section || gap.kind) return gap.section || gap.kind;
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

  // `shown`: the message is also shown next to the question it is about.
  function renderError(response, shown) {
    resultBox.dataset.level = "";
    resultBox.dataset.state = "error";
    showPrintResult(null);
    announce(`No result yet: ${response.error}`, "");
    body.replaceChildren(
      el("p", { class: "cse-result__error" },
        "The result cannot be worked out until this is put right: ", response.error,
        shown ? " (The message is also shown next to the question.)" : ""),
      staticNotesResult(),
    );
  }

  // On paper, page 1 (assessment.html's [data-print-result]): the level in one line, whether it is
  // provisional, and what to do at once.
  const printResult = root.querySelector("[data-print-result]");
  function showPrintResult(result) {
    if (!printResult) return;
    if (!result) { printResult.replaceChildren(); return; }
    printResult.replaceChildren(
      el("p", {}, el("strong", {}, "Result: "), result.label,
        result.provisional ? ` (provisional: ${result.gaps.length} ${result.gaps.length === 1 ? "item" : "items"} not answered yet or not known)` : ""),
      result.immediate_action ? el("p", {}, el("strong", {}, "Act now: "), result.immediate_action) : null,
      el("p", {}, "Why this level, what to do next (who and by when) and the gaps: in the result, after the questions."));
  }

  // Before the first answer there is no result to show (not even "No category"): only what to do.
  function renderEmpty(result) {
    resultBox.dataset.level = "";
    resultBox.dataset.state = "empty";
    resultBox.dataset.provisional = "";
    body.replaceChildren(el("p", { class: "cse-result__empty" }, "Answer the questions to see a result."), notesBlock(result));
    showPrintResult(null);
    liveStatus.textContent = "";
    summary.hidden = true;
  }

  // What to do next, each with who and by when (the category's triggers, from categories.yaml).
  function nextSteps(steps) {
    const ul = el("ul", { class: "cse-next-steps" });
    for (const step of steps) {
      ul.append(el("li", {}, step.action,
        el("span", { class: "cse-next-steps__when" }, `Who: ${step.who}. By when: ${step.by_when}.`)));
    }
    return ul;
  }

  function renderResult(result) {
    if (!result.answered) { renderEmpty(result); return; }
    resultBox.dataset.level = String(result.level);
    resultBox.dataset.state = result.provisional ? "provisional" : "complete";
    resultBox.dataset.provisional = result.provisional ? "yes" : "no";
    const nodes = [];
    if (result.immediate_action) {
      nodes.push(el("div", { class: "cse-immediate", "data-immediate": "" },
        el("p", { class: "cse-immediate__title" }, "Act now"), el("p", {}, result.immediate_action)));
    }
    const head = el("div", { class: `cse-result__head cse-level-${result.level}` },
      el("p", { class: "cse-result__level" }, result.label,
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
    main.append(nextSteps(result.next_steps));
    if (result.gaps.length) {
      main.append(el("h3", {}, "Not answered yet or not known"), ...groupedGaps(result.gaps));
    }
    // Protective factors only on a tool that asks about them (the screening does not).
    let side = null;
    if (result.asks_protective) {
      side = el("aside", { class: "cse-result__protective", "aria-label": "Protective factors" },
        el("h3", {}, "Protective factors"));
      if (result.protective_factors.length) {
        side.append(list(result.protective_factors.map((item) => item.text)));
        side.append(el("p", { class: "cse-help" }, "Shown beside the level; they do not lower it."));
      } else {
        side.append(el("p", {}, "None recorded."));
      }
    }
    nodes.push(el("div", { class: side ? "cse-result__grid" : "cse-result__single" }, main, side));
    if (result.review_date) nodes.push(el("p", {}, `Review this assessment by ${longDate(result.review_date)}.`));
    nodes.push(notesBlock(result));
    body.replaceChildren(...nodes);
    showPrintResult(result);
    announce(statusOf(result), String(result.level));
  }

  function clearResult() {
    body.replaceChildren();
    showPrintResult(null);
    resultBox.dataset.level = "";
    resultBox.dataset.state = "";
    resultBox.dataset.provisional = "";
  }

  return { resultBox, renderResult, renderError, clearResult };
}
