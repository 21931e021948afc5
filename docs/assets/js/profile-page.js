// The partnership profile page (overrides/partials/profile/). Many saved files are picked or
// dropped; they are read a batch at a time (the page stays responsive), then Python in the tools
// worker counts them (cse_tools.profile) and returns counts only, small numbers hidden. Nothing is
// sent or stored; the screen is wiped when the page is left (protectScreen).
import { OPS } from "./cse-shared.js";
import { tools } from "./tools-boot.js";
import { MAX_FILE_BYTES, download, el, protectScreen, setMessage, setUpPage, todayIso } from "./tool-common.js";
import { bars, stackedColumns, words } from "../../partials/profile/charts.js";

const BATCH = 25; // files read between two pauses, so no task is long
const CHARTS = {
  by_period: (table) => stackedColumns(table, `Chart: ${table.title}. Counts fewer than 5 are not drawn.`),
  risk_indicator: (table) => bars(table, `Chart: ${table.title}.`),
  sign_of_harm: (table) => bars(table, `Chart: ${table.title}.`),
  vulnerability: (table) => bars(table, `Chart: ${table.title}.`),
};
const ORDER = ["by_category", "by_period", "by_age_band", "movement", "risk_indicator", "sign_of_harm",
  "vulnerability", "actions", "tactics"];

const pause = () => new Promise((resolve) => { setTimeout(resolve, 0); });

function tableOf(table) {
  const hasTotal = table.rows.length > 0 && "total" in table.rows[0];
  const head = el("tr", {}, el("th", { scope: "col" }, table.row_heading),
    ...table.columns.map((c) => el("th", { scope: "col", class: "cse-num" }, c)),
    hasTotal ? el("th", { scope: "col", class: "cse-num" }, "Total") : null);
  const body = table.rows.map((row) => el("tr", {}, el("th", { scope: "row" }, row.label),
    ...row.cells.map((v) => el("td", { class: "cse-num" }, words(v))),
    hasTotal ? el("td", { class: "cse-num" }, words(row.total)) : null));
  const foot = table.totals ? el("tr", {}, el("th", { scope: "row" }, "Total"),
    ...table.totals.map((v) => el("td", { class: "cse-num" }, words(v))),
    "total" in table ? el("td", { class: "cse-num" }, words(table.total)) : null) : null;
  return el("table", { "data-table": table.name }, el("caption", {}, table.title), el("thead", {}, head),
    el("tbody", {}, ...body, foot));
}

function setUp(root) {
  const form = root.querySelector("form");
  const status = root.querySelector("[data-status]");
  const reading = root.querySelector("[data-reading]");
  const result = root.querySelector("[data-result]");
  const input = root.querySelector('[data-action="open-files"]');
  const exportButton = root.querySelector('[data-action="export"]');
  const drop = root.querySelector("[data-drop]");
  const today = form.querySelector('[data-field="today"]');
  const period = form.querySelector('[data-field="period"]');
  const progress = setUpPage(root, form, status, tools, "Starting. You can choose the files now");
  let chosen = [];
  let csv = "";

  function clear() {
    chosen = [];
    csv = "";
    exportButton.disabled = true;
    result.hidden = true;
    root.querySelector("[data-headline]").replaceChildren();
    root.querySelector("[data-skipped-list]").replaceChildren();
    root.querySelector("[data-tables]").replaceChildren();
    reading.hidden = true;
    reading.textContent = "";
  }
  const screen = protectScreen(root, { clear, restored: () => { today.value = todayIso(); } });
  today.value = todayIso();

  function show(profile, tooBig) {
    const skipped = [...tooBig, ...profile.skipped];
    root.querySelector("[data-headline]").replaceChildren(
      el("li", {}, `Children: ${words(profile.children)} (from ${profile.files} files).`),
      el("li", {}, `Children without a case reference (each file counted as a child of its own): ${words(profile.without_reference)}.`),
      el("li", {}, `Files not counted: ${skipped.length}.`),
      el("li", {}, profile.screening_to_meeting.median_days === null
        ? "Time from first screening to first meeting: too few children with both to show."
        : `Median time from first screening to first meeting: ${profile.screening_to_meeting.median_days} days (${words(profile.screening_to_meeting.children)} children).`));
    const box = root.querySelector("[data-skipped]");
    box.hidden = skipped.length === 0;
    root.querySelector("[data-skipped-list]").replaceChildren(
      ...skipped.map((s) => el("li", {}, el("strong", {}, s.file), `: ${s.reason}`)));
    const blocks = ORDER.map((name) => {
      const table = profile[name];
      const chart = CHARTS[name] && table.rows.length ? CHARTS[name](table) : null;
      return el("section", { class: "cse-profile__block", "data-block": name },
        el("h3", {}, table.title), el("div", { class: "cse-profile__pair" }, chart, tableOf(table)));
    });
    root.querySelector("[data-tables]").replaceChildren(...blocks);
    result.hidden = false;
  }

  async function count() {
    if (!chosen.length) return;
    const files = [];
    const tooBig = [];
    setMessage(root, "");
    reading.hidden = false;
    for (let i = 0; i < chosen.length; i += BATCH) {
      const batch = chosen.slice(i, i + BATCH);
      for (const file of batch) {
        if (file.size > MAX_FILE_BYTES) {
          tooBig.push({ file: file.name, reason: "This file is too big to be a saved CSE tool file." });
          continue;
        }
        try {
          files.push({ name: file.name, text: await file.text() });
        } catch (error) {
          tooBig.push({ file: file.name, reason: "This file could not be read." });
        }
      }
      reading.textContent = `Read ${Math.min(i + BATCH, chosen.length)} of ${chosen.length} files.`;
      await pause();
    }
    reading.textContent = `Counting ${files.length} files.`;
    const response = await tools.call({ op: OPS.profile, files, today: today.value, period: period.value });
    if (!response.ok) {
      setMessage(root, `The profile could not be counted. ${response.error}`);
      reading.textContent = "";
      return;
    }
    csv = response.csv;
    exportButton.disabled = false;
    show(response.profile, tooBig);
    reading.textContent = `Counted ${chosen.length} files.`;
    screen.saved(); // counts only: nothing on screen needs saving before leaving
  }

  function choose(list) {
    chosen = Array.from(list || []);
    count();
  }
  input.addEventListener("change", () => { choose(input.files); input.value = ""; });
  form.addEventListener("change", () => count());
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.dataset.over = "yes"; });
  drop.addEventListener("dragleave", () => { drop.dataset.over = ""; });
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.dataset.over = "";
    choose(event.dataTransfer && event.dataTransfer.files);
  });
  exportButton.addEventListener("click", () => {
    if (csv) download(csv, `partnership-profile-${todayIso().slice(0, 7)}.csv`, "text/csv;charset=utf-8");
  });
  root.querySelector('[data-action="print"]').addEventListener("click", () => window.print());
  root.querySelector('[data-action="clear"]').addEventListener("click", () => { clear(); setMessage(root, ""); });
  tools.ready.then(() => progress.done(), (error) => progress.failed(String(error && error.message || error),
    "The profile cannot be counted without it."));
}

document.querySelectorAll("[data-cse-profile]").forEach(setUp);
