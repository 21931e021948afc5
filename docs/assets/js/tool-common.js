// Helpers shared by tool-page.js and plan-page.js and by the tool components' scripts beside
// their templates in overrides/partials/tools/ (case-header.js, plan-row.js, result.js).
// No storage API is used anywhere: answers live only in the page, and leave it only as a file
// the practitioner saves or as a printout.
// When the page is left they are wiped (protectScreen), so Back, Forward and the browser's
// back/forward cache bring back an empty form.

// The largest file the pages open, the version of the files they save and the deepest nesting a
// saved file may have come from Python (cse_tools.protocol, written into the site as
// cse-shared.js by the build).
import { MAX_DEPTH, MAX_FILE_BYTES, PAGE_MESSAGES } from "./cse-shared.js";

export { FILE_VERSION, MAX_DEPTH, MAX_FILE_BYTES } from "./cse-shared.js";

// True when the brackets outside JSON strings nest deeper than MAX_DEPTH (as nesting.too_deep).
// Counted on the text before it goes to the worker: a file nested thousands deep would overflow
// Python's stack there.
export function tooDeep(text, limit = MAX_DEPTH) {
  let depth = 0;
  // A string is skipped in one step ("unrolled": runs of plain characters, then an escape), so a
  // file at the size limit is counted in milliseconds rather than frozen over.
  for (const [token] of text.matchAll(/"[^"\\]*(?:\\.[^"\\]*)*"|[[\]{}]/g)) {
    if (token === "[" || token === "{") {
      depth += 1;
      if (depth > limit) return true;
    } else if (token === "]" || token === "}") {
      depth -= 1;
    }
  }
  return false;
}

// A new element with attributes and children (null and undefined children are left out).
export function el(tag, attrs = {}, ...children) {
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

export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function longDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
}

// "30 November 2026" for a saved file's time stamp ("2026-11-30T10:00:00Z").
export function savedOn(stamp) {
  return typeof stamp === "string" && /^\d{4}-\d{2}-\d{2}/.test(stamp) ? longDate(stamp.slice(0, 10)) : "an unknown date";
}

// The "Date printed" line: today's date, refreshed just before printing.
export function setUpPrintDate(root) {
  const fill = () => {
    const today = todayIso();
    root.querySelectorAll("[data-print-date]").forEach((el) => {
      el.textContent = `${longDate(today)} (${today})`;
    });
  };
  fill();
  window.addEventListener("beforeprint", fill);
}

// Print shows each textarea's whole text through a mirror <div> (a textarea prints only what fits),
// and each date written out in en-GB through a mirror marked data-format="date".
function mirrorText(mirror, source) {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  const value = source.value;
  if (mirror.dataset.format === "option") return value === "" ? "" : source.selectedOptions[0]?.textContent || "";
  return mirror.dataset.format === "date" && iso.test(value) ? longDate(value) : value;
}

// The child's reference heads every printed page (print-pages.css reads it from the page's
// custom property --cse-print-reference, set through the CSSOM, never an inline style).
// An empty reference leaves the printed line for writing it in.
function refreshPrintReference(root) {
  const field = root.querySelector('[data-case="reference"]');
  if (!field) return;
  const style = document.documentElement.style;
  if (field.value.trim()) style.setProperty("--cse-print-reference", JSON.stringify(`Child's initials or reference: ${field.value.trim()}`));
  else style.removeProperty("--cse-print-reference");
}

export function refreshMirrors(root) {
  root.querySelectorAll("[data-mirror]").forEach((mirror) => {
    const source = document.getElementById(mirror.dataset.mirror);
    const text = source ? mirrorText(mirror, source) : "";
    if (mirror.textContent !== text) mirror.textContent = text; // unchanged copies are not redrawn
  });
  refreshPrintReference(root);
}

export function setUpMirrors(root) {
  root.addEventListener("input", (event) => {
    const id = event.target && event.target.id;
    if (!id) return;
    root.querySelectorAll(`[data-mirror="${CSS.escape(id)}"]`).forEach((mirror) => {
      mirror.textContent = mirrorText(mirror, event.target);
    });
    if (event.target.dataset.case === "reference") refreshPrintReference(root);
  });
  root.addEventListener("change", () => refreshMirrors(root));
  refreshMirrors(root);
}

export function showJsOnly(root) {
  root.querySelectorAll("[data-js-only]").forEach((el) => { el.hidden = false; });
}

// A form on these pages never submits: it has nowhere to go.
export function neverSubmit(form) {
  form.addEventListener("submit", (event) => event.preventDefault());
}

export function setMessage(root, text, kind = "error") {
  const box = root.querySelector("[data-message]");
  if (!box) return;
  box.textContent = text || "";
  box.dataset.kind = kind;
  box.hidden = !text;
}

// What every tool and plan page does first: JS-only controls shown, no submitting, the print
// date and print copies of text boxes, and a progress view fed by the tools worker.
export function setUpPage(root, form, progressRoot, tools, startText) {
  neverSubmit(form);
  showJsOnly(root);
  noSpellcheck(root);
  setUpPrintDate(root);
  setUpMirrors(root);
  const progress = progressView(progressRoot);
  progress.step({ step: 0, of: 3, text: startText });
  tools.onProgress((message) => progress.step(message));
  return progress;
}

// Progress while Python starts, and a plain message if it cannot.
export function progressView(root) {
  const text = root.querySelector("[data-progress-text]");
  const bar = root.querySelector("[data-progress-bar]");
  const box = root.querySelector("[data-progress]");
  return {
    step({ step, of, text: what }) {
      if (!box) return;
      box.hidden = false;
      box.dataset.state = "loading";
      if (text) text.textContent = `Loading the tools: step ${step} of ${of}. ${what}.`;
      if (bar) { bar.hidden = false; bar.max = of; bar.value = step; }
    },
    done() {
      if (box) { box.hidden = true; box.dataset.state = "ready"; }
    },
    failed(message, extra) {
      if (!box) return;
      box.hidden = false;
      box.dataset.state = "failed";
      if (bar) bar.hidden = true;
      if (text) {
        text.textContent = `The tools could not start in this browser (${message}). ${extra}`;
      }
    },
  };
}

// Save: a download through <a download> with a blob: URL (no network, no storage).
export function download(text, filename, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The text of the file chosen in an <input type=file>; the input is reset so the same file can
// be chosen again.
export async function readChosenFile(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return null;
  if (file.size > MAX_FILE_BYTES) return { tooBig: true };
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (error) {
    return { unreadable: true };
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // never bytes silently replaced
  } catch (error) {
    return { notText: true };
  }
  if (tooDeep(text)) return { tooDeep: true };
  return { text };
}

// Save: hand the checked file text from Python to the browser as a download, and say where.
export function saved(root, response) {
  download(response.text, response.filename);
  setMessage(root, `Saved as ${response.filename} in your downloads. Keep it as your agency requires; it holds details about a child.`, "info");
}

// Open: when a file is chosen, read it and have Python check it (`op`); say plainly why a file
// cannot be opened. Only `onOpened`, called with a file that passed, changes the screen.
export function whenFileChosen(input, root, tools, { op, what, unchanged }, onOpened) {
  input?.addEventListener("change", async () => {
    const chosen = await readChosenFile(input);
    if (!chosen) return;
    if (chosen.tooBig) {
      setMessage(root, `This file cannot be opened: it is too big (over ${MAX_FILE_BYTES / 1_000_000} MB) to be ${what}. ${unchanged}`);
      return;
    }
    if (chosen.notText) {
      setMessage(root, `This file cannot be opened: it is not text the tools saved (it has characters that cannot be read), so it is not ${what}. ${unchanged}`);
      return;
    }
    if (chosen.tooDeep) {
      setMessage(root, `This file cannot be opened: it is nested more deeply than any saved file, so it is not ${what}. ${unchanged}`);
      return;
    }
    if (!chosen.text) {
      setMessage(root, `This file cannot be opened: it is not ${what}. ${unchanged}`);
      return;
    }
    const response = await tools.call({ op, text: chosen.text });
    if (!response.ok) {
      setMessage(root, `This file cannot be opened. ${response.error} ${unchanged}`);
      return;
    }
    await onOpened(response);
  });
}

// Typed text stays on this device: no spelling or grammar service may read it (browsers' enhanced
// spell-check sends text to the vendor). The build writes these attributes on every free-text
// field; this also covers fields added later (plan rows are made with the same attributes).
export function noSpellcheck(root) {
  root.querySelectorAll("textarea, input[type=text], input:not([type])").forEach((field) => {
    field.spellcheck = false;
    field.setAttribute("autocorrect", "off");
  });
}

// A shared computer: nothing typed may be recovered after the page is left.
// - On `pagehide` (the page is left, reloaded or closed; it may be kept in the back/forward
//   cache) every form is reset, `clear()` empties what the page drew (results, plan rows,
//   overdue marks), print copies and messages are emptied.
// - On `pageshow` from the back/forward cache it is done again, then `restored()` runs.
// - Before leaving with unsaved input, the browser asks first (beforeunload).
// Returns {saved(), changed()}: call saved() once the screen is in a file (or cleared on purpose),
// changed() when the page itself put new content on screen (a drafted plan).
export function protectScreen(root, { clear, restored }) {
  let unsaved = false;
  const wipe = () => {
    root.querySelectorAll("form").forEach((form) => form.reset());
    clear();
    refreshMirrors(root);
    setMessage(root, "");
    unsaved = false;
  };
  root.addEventListener("input", () => { unsaved = true; });
  root.addEventListener("change", (event) => {
    if (event.target && event.target.type !== "file") unsaved = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });
  window.addEventListener("pagehide", wipe);
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    wipe();
    if (restored) restored();
  });
  return {
    saved() { unsaved = false; },
    changed() { unsaved = true; },
  };
}

// Empty every overdue mark a plan page drew.
export function clearOverdueMarks(root) {
  root.querySelectorAll(".cse-row--overdue").forEach((node) => node.classList.remove("cse-row--overdue"));
  root.querySelectorAll("[data-overdue], [data-meeting-overdue]").forEach((mark) => {
    mark.hidden = true;
    mark.textContent = "";
  });
}

// On phones the notes and boxes above `target` (the first question, or a plan) start closed, so
// it is on the first screen; they stay open on wider screens and without JavaScript.
export function collapseAbove(target) {
  if (!target || !window.matchMedia("(max-width: 700px)").matches) return;
  document.querySelectorAll("article details[open]").forEach((details) => {
    const before = details.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (before && !details.contains(target)) details.open = false;
  });
}

// --- an assessment's answers to a page it opens (same device, same origin, in memory only) ----
// The assessment page opens the other page (the safety plan; the risk assessment from a screening
// result) with window.open and FROM_ASSESSMENT; that page posts "ready" to its opener, and the
// opener answers only windows it opened, only to its own origin, with the answers on its screen
// (protocol.PAGE_MESSAGES). Nothing goes through storage, the address or window.name: the hash
// says only "ask your opener", and the opened page removes it at once.
export const FROM_ASSESSMENT = "#from-assessment";

// The opener's side: open(url) opens a page that will ask; its "ready" is answered with answers().
export function answerOpenedPages(answers) {
  const opened = new Set();
  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || !opened.has(event.source)) return;
    if (!event.data || event.data.type !== PAGE_MESSAGES.ready) return;
    event.source.postMessage({ type: PAGE_MESSAGES.assessment, ...answers() }, window.location.origin);
  });
  return {
    // True when the page opened (a pop-up blocker may stop it).
    open(url) {
      const win = window.open(`${url}${FROM_ASSESSMENT}`);
      if (win) opened.add(win);
      return Boolean(win);
    },
    forget() { opened.clear(); },
  };
}

// The opened page's side: when this page was opened with FROM_ASSESSMENT, ask the opener and hand
// its answers to onAnswers (once). Returns "none" (not opened so), "closed" (the opener has gone)
// or "asked".
export function answersFromOpener(onAnswers) {
  if (window.location.hash !== FROM_ASSESSMENT) return "none";
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (!window.opener) return "closed";
  const listen = (event) => {
    if (event.origin !== window.location.origin || event.source !== window.opener) return;
    if (!event.data || event.data.type !== PAGE_MESSAGES.assessment) return;
    window.removeEventListener("message", listen);
    onAnswers(event.data);
  };
  window.addEventListener("message", listen);
  window.opener.postMessage({ type: PAGE_MESSAGES.ready }, window.location.origin);
  return "asked";
}
