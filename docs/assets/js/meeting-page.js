// The multi-agency meeting page (docs/tools/meeting.md, template overrides/partials/meeting/).
// The chair opens several saved files; their text is held in this page's memory only and sent to
// the tools worker (structured clone, never a URL or storage), where cse_tools.meeting merges
// them. Nothing is stored or sent anywhere; everything is wiped when the page is hidden.
import { FORMATS, OPS } from "./cse-shared.js";
import { tools } from "./tools-boot.js";
import {
  MAX_FILE_BYTES, download, longDate, protectScreen, refreshMirrors, setMessage, setUpPage, todayIso,
} from "./tool-common.js";
import {
  addRow, drawAgencies, drawCombined, drawDisagreements, drawPlanActions, drawRecorded, drawUnknown, fillRecord,
  readRecord,
} from "../../partials/meeting/meeting.js";

function setUp(root) {
  const form = root.querySelector("form");
  const part = (name) => root.querySelector(`[data-${name}]`);
  const progress = setUpPage(root, form, part("status"), tools, "Starting. You can fill in the meeting record now");
  const templates = { attendee: part("attendee-template"), action: part("action-template") };
  const maxFiles = Number(root.dataset.maxFiles || 60);
  let opened = []; // [{name, text}], in the order they were opened
  let meeting = null; // the last merged picture (cse_tools.meeting.public)
  let sameChild = false;
  let recordTouched = false;
  const planWindows = new Set();

  function showSkipped(skipped) {
    part("skipped").hidden = !skipped.length;
    part("skipped-list").replaceChildren(...skipped.map((s) => {
      const item = document.createElement("li");
      item.textContent = `${s.file}: ${s.reason}`;
      return item;
    }));
  }

  async function merge(extraSkipped = [], fromMeetingFile = false) {
    if (!opened.length) { showSkipped(extraSkipped); return; }
    const response = await tools.call({ op: OPS.meeting, files: opened, same_child: sameChild, today: todayIso() });
    if (!response.ok) {
      setMessage(root, `These files could not be combined. ${response.error}`);
      return;
    }
    showSkipped([...extraSkipped, ...response.skipped]);
    const refused = response.refused;
    part("same-child").hidden = !refused;
    if (refused) {
      part("same-child-text").textContent = refused.message;
      part("picture").hidden = true;
      meeting = null;
      return;
    }
    meeting = response.meeting;
    const resolutions = readRecord(form).resolutions;
    draw(meeting, fromMeetingFile || !recordTouched ? { ...resolutions, ...meeting.record.resolutions } : resolutions);
    if (fromMeetingFile || !recordTouched) fillRecord(form, meeting.record, templates);
    refreshMirrors(root);
    await review();
    const n = meeting.agencies.length;
    setMessage(root, `Combined ${n} ${n === 1 ? "file" : "files"}. Resolve the disagreements first, then complete the meeting record.`, "info");
  }

  function draw(m, resolutions) {
    part("picture").hidden = false;
    const ref = m.case.reference ? `Case reference ${m.case.reference}` : "No case reference in the files";
    part("case-line").textContent = `${ref}. Age: ${m.case.age ?? "not given"}.${m.same_child ? " The chair confirmed these files are about the same child." : ""}`;
    drawCombined(part("combined"), part("immediate"), m.combined);
    drawAgencies(part("agencies"), m.agencies);
    drawDisagreements(part("disagreements"), m.disagreements, resolutions);
    drawUnknown(part("unknown"), m.unknown, m.questions);
    drawRecorded(part("recorded"), m.recorded);
    drawPlanActions(part("plan-actions"), m.actions);
  }

  // The next review date and the agreed category, checked by Python (one rule, one place).
  async function review() {
    const record = readRecord(form);
    const select = form.querySelector('[data-record-field="agreed_level"]');
    part("agreed-print").textContent = select.value === "" && meeting?.combined
      ? `${meeting.combined.label} (the combined level)` : select.selectedOptions[0]?.textContent || "";
    const line = part("next-review");
    if (!meeting) return null;
    const response = await tools.call({ op: OPS.meeting_review, record, level: meeting.combined?.level,
      tool: meeting.combined?.tool });
    if (!response.ok) { line.textContent = response.error; return null; }
    line.textContent = response.record.next_review
      ? `Next review: ${longDate(response.record.next_review)}, from the category's review interval.`
      : "Next review: set the meeting date and the category.";
    return response.record;
  }

  async function openFiles(list) {
    const chosen = Array.from(list || []);
    if (!chosen.length) return;
    if (opened.length + chosen.length > maxFiles) {
      setMessage(root, `This page combines up to ${maxFiles} files; ${opened.length + chosen.length} were opened. Nothing was added.`);
      return;
    }
    const skipped = [];
    let meetingFile = false;
    for (const file of chosen) {
      if (file.size > MAX_FILE_BYTES) {
        skipped.push({ file: file.name, reason: `It is too big (over ${MAX_FILE_BYTES / 1_000_000} MB) to be a saved CSE tool file.` });
        continue;
      }
      try {
        const text = await file.text();
        meetingFile = meetingFile || text.includes(`"${FORMATS.meeting}"`);
        opened.push({ name: file.name, text });
      } catch (error) {
        skipped.push({ file: file.name, reason: "It could not be read." });
      }
    }
    screen.changed();
    await merge(skipped, meetingFile);
  }

  const input = root.querySelector('input[type=file][data-action="open-files"]');
  input.addEventListener("change", async () => {
    const files = Array.from(input.files || []);
    input.value = "";
    await openFiles(files);
  });
  const drop = part("drop");
  for (const target of [drop, root]) {
    target.addEventListener("dragover", (event) => { event.preventDefault(); drop.dataset.over = "yes"; });
    target.addEventListener("dragleave", () => { delete drop.dataset.over; });
    target.addEventListener("drop", (event) => {
      event.preventDefault();
      delete drop.dataset.over;
      openFiles(event.dataTransfer && event.dataTransfer.files);
    });
  }

  part("same-child-box").addEventListener("change", (event) => {
    sameChild = event.target.checked;
    merge();
  });

  let reviewTimer = null;
  form.addEventListener("input", (event) => {
    if (!event.target.closest("[data-picture]")) recordTouched = true;
    clearTimeout(reviewTimer);
    reviewTimer = setTimeout(review, 200);
  });
  form.addEventListener("change", () => { clearTimeout(reviewTimer); reviewTimer = setTimeout(review, 50); });

  root.addEventListener("click", (event) => {
    const remove = event.target.closest('[data-action="remove-row"]');
    if (remove) { remove.closest("tr").remove(); recordTouched = true; review(); }
  });
  const onAction = (name, handler) => root.querySelector(`[data-action="${name}"]`)?.addEventListener("click", handler);
  onAction("add-attendee", () => { addRow(part("attendees"), templates.attendee).querySelector("input").focus(); recordTouched = true; });
  onAction("add-action", () => { addRow(part("record-actions"), templates.action).querySelector('[data-part="action"]').focus(); recordTouched = true; });
  onAction("print", async () => { await review(); refreshMirrors(root); window.print(); });

  async function output(op, what) {
    if (!opened.length || !meeting) {
      setMessage(root, `Open the agencies' saved files first: there is nothing to ${what}.`);
      return null;
    }
    const response = await tools.call({ op, files: opened, same_child: sameChild, record: readRecord(form),
      today: todayIso() });
    if (!response.ok) { setMessage(root, `Not done: ${response.error}`); return null; }
    return response;
  }
  onAction("save", async () => {
    const response = await output(OPS.save_meeting, "save");
    if (!response) return;
    download(response.text, response.filename);
    setMessage(root, `Saved as ${response.filename} in your downloads. It holds every file combined and details about a child: keep it as your agency requires.`, "info");
    screen.saved();
  });
  onAction("calendar", async () => {
    const response = await output(OPS.meeting_calendar, "put in a calendar");
    if (!response) return;
    download(response.text, response.filename);
    setMessage(root, `Saved as ${response.filename}. It holds the review meeting and the actions' due dates with the case reference only.`, "info");
  });
  onAction("plan", () => {
    if (!meeting || !meeting.combined) {
      setMessage(root, "Open at least one screening or risk assessment file first: the plan is drafted from the combined answers.");
      return;
    }
    const win = window.open(`${root.dataset.planUrl}#from-assessment`);
    if (win) planWindows.add(win);
    else setMessage(root, "The safety plan page did not open (a pop-up blocker may have stopped it).");
  });
  // The safety plan page asks for the answers once it is ready (plan-page.js); the combined
  // answers go to it directly, on this device, as if from an assessment page.
  // What the meeting agreed goes too: the category, decisions, next review, date and chair.
  window.addEventListener("message", async (event) => {
    if (event.origin !== window.location.origin || !planWindows.has(event.source)) return;
    if (!event.data || event.data.type !== "ready" || !meeting || !meeting.combined) return;
    const source = event.source;
    const record = await review();
    const agreed = record ? {
      agreed_level: record.agreed_level ?? meeting.combined.level, next_review: record.next_review || null,
      decisions: record.decisions || "", date: record.date || null, chair: record.chair || "",
    } : null;
    source.postMessage({ type: "assessment", tool: meeting.combined.tool, age: meeting.case.age,
      answers: meeting.combined.answers, facts: {}, case: { reference: meeting.case.reference || "" }, meeting: agreed },
    window.location.origin);
  });

  function clear() {
    opened = [];
    meeting = null;
    sameChild = false;
    recordTouched = false;
    planWindows.clear();
    clearTimeout(reviewTimer);
    for (const name of ["agencies", "disagreements", "unknown", "recorded", "plan-actions", "combined", "immediate",
      "attendees", "record-actions", "skipped-list", "case-line", "same-child-text", "agreed-print"]) {
      part(name).replaceChildren();
    }
    part("same-child-box").checked = false;
    part("picture").hidden = true;
    part("skipped").hidden = true;
    part("same-child").hidden = true;
    part("next-review").textContent = "Next review: set the meeting date and the category.";
  }
  onAction("clear", () => {
    if (!window.confirm("Clear the files and the meeting record? Anything not saved to a file will be lost.")) return;
    form.reset();
    clear();
    refreshMirrors(root);
    setMessage(root, "");
    screen.saved();
  });

  const screen = protectScreen(root, { clear });

  tools.ready.then(
    () => { progress.done(); },
    (error) => {
      progress.failed(error.message, "You can still fill in the meeting record and print it. Combining files needs the tools.");
      root.querySelectorAll('[data-action="save"], [data-action="calendar"], [data-action="plan"], [data-action="open-files"]')
        .forEach((node) => { (node.closest(".cse-file") || node).hidden = true; });
    },
  );
}

document.querySelectorAll("[data-cse-meeting]").forEach(setUp);
