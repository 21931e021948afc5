// Helpers shared by tool-page.js and plan-page.js. No storage API is used anywhere: answers
// live only in the page, and leave it only as a file the practitioner saves or as a printout.

export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function longDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
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

// Print shows each textarea's whole text through a mirror <div> (a textarea prints only what fits).
export function refreshMirrors(root) {
  root.querySelectorAll("[data-mirror]").forEach((mirror) => {
    const source = document.getElementById(mirror.dataset.mirror);
    mirror.textContent = source ? source.value : "";
  });
}

export function setUpMirrors(root) {
  root.addEventListener("input", (event) => {
    const id = event.target && event.target.id;
    if (!id) return;
    root.querySelectorAll(`[data-mirror="${CSS.escape(id)}"]`).forEach((mirror) => {
      mirror.textContent = event.target.value;
    });
  });
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
export function download(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
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
  if (file.size > 2_000_000) return { tooBig: true };
  try {
    return { text: await file.text() };
  } catch (error) {
    return { unreadable: true };
  }
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
