// The recorded facts' script (template: facts.html, styles: question.css). A question's facts
// ([data-facts="<question>"] holding [data-fact="<fact>"] boxes) are read and filled here, and
// shown only while the question is answered "yes" or "longer ago", or while a box holds something
// (without JavaScript they always show). They never change the level.

import { CONCERN_ANSWERS as CONCERN } from "../../assets/js/cse-shared.js";

// {question: {fact: text}}, empty boxes left out.
export function factValues(form) {
  const out = {};
  for (const group of form.querySelectorAll("[data-facts]")) {
    for (const box of group.querySelectorAll("[data-fact]")) {
      if (!box.value.trim()) continue;
      (out[group.dataset.facts] ||= {})[box.dataset.fact] = box.value;
    }
  }
  return out;
}

export function fillFacts(form, facts) {
  for (const group of form.querySelectorAll("[data-facts]")) {
    const values = (facts || {})[group.dataset.facts] || {};
    for (const box of group.querySelectorAll("[data-fact]")) box.value = values[box.dataset.fact] || "";
  }
  showFacts(form);
}

export function showFacts(form) {
  for (const group of form.querySelectorAll("[data-facts]")) {
    const checked = form.querySelector(`input[type=radio][name="${CSS.escape(group.dataset.facts)}"]:checked`);
    const answered = checked && CONCERN.includes(checked.value);
    const filled = Array.from(group.querySelectorAll("[data-fact]")).some((box) => box.value.trim());
    group.hidden = !(answered || filled);
  }
}
