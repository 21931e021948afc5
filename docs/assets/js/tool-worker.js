// The tools' Web Worker: runs Pyodide and the cse_tools wheel, both from this site's own origin,
// so the page never freezes while Python starts or scores. It is a same-origin module file
// (never a blob: URL). The tools are loaded by name ("cse-tools") from the site's own
// pyodide-lock.json, which the build writes with pyodide-lock (macros/build.py): Pyodide fetches
// the wheel, checks its sha256 and installs it. Its messages in and out, and the requests it
// passes to cse_tools.browser.handle, are described once, in tools/cse_tools/protocol.py
// (WORKER_IN, WORKER_OUT, OPS), whose names it imports from cse-shared.js.
// Answers arrive as structured-clone messages and never leave this worker except as the reply:
// after start-up this worker makes no network request at all.
//
// Faster starts: the first time, Python's memory is snapshotted right after the interpreter
// starts (before the tools package is loaded and before any answer can arrive) and kept in Cache
// Storage; later starts restore it instead of starting Python from scratch. It holds nothing
// but the bare interpreter and some standard-library modules (PRELOAD). If it is missing,
// stale or unusable, Python starts normally. Either way the tools package is loaded after
// that, by name.

import { OPS, WORKER_IN, WORKER_OUT } from "./cse-shared.js";

const STEPS = 3;
const SNAPSHOT_CACHE = "cse-python-snapshot";
// Standard-library modules that loading and importing the tools needs, imported before the
// snapshot is taken, so a restored start does not import them again. Standard library only:
// the snapshot never holds the tools or anything typed. A name missing here only costs time.
const PRELOAD = "json, re, typing, dataclasses, datetime, enum, functools, inspect, textwrap, "
  + "collections, urllib.parse, pathlib, shutil, tempfile, zipfile, importlib.resources";
const SNAPSHOT_NAME = "snapshot-2"; // change it when PRELOAD changes
let handle = null;
let starting = null;

// Start-up timings (bench/run.py prints them): absolute times, sent with "ready"; the page turns
// them into performance marks named "cse:<step>".
const marks = {};
function mark(step) {
  marks[step] = performance.timeOrigin + performance.now();
}
mark("worker-started");

function progress(step, text) {
  self.postMessage({ type: WORKER_OUT.progress, step, of: STEPS, text });
}

async function snapshotCache() {
  try {
    return typeof caches === "object" ? await caches.open(SNAPSHOT_CACHE) : null;
  } catch {
    return null; // no Cache Storage here (e.g. a non-secure context): start normally
  }
}

async function readSnapshot(cache, key) {
  const response = cache && (await cache.match(key));
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

async function keepSnapshot(cache, key, bytes) {
  if (!cache) return;
  for (const old of await cache.keys()) await cache.delete(old); // one snapshot, the current one
  await cache.put(key, new Response(bytes));
}

// The site's lockfile, and a short hash of it. Python keeps what the lockfile says (which import
// names belong to which package) in its memory, so a snapshot is kept per lockfile.
async function readLockfile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The list of the tools' packages could not be loaded (${response.status}).`);
  const text = await response.text();
  if (!(self.crypto && crypto.subtle)) return { text, hash: "unhashed" }; // no snapshot there either
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return { text, hash: Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("") };
}

// -> {pyodide, restored}: restored is true when the kept snapshot was used.
async function startPython(loadPyodide, lockfile, cache, key) {
  const options = { ...lockfile, messageCallback: () => {} };
  const snapshot = await readSnapshot(cache, key).catch(() => null);
  if (snapshot) {
    try {
      return { pyodide: await loadPyodide({ ...options, _loadSnapshot: snapshot }), restored: true };
    } catch {
      await cache.delete(key).catch(() => {}); // unusable: forget it and start from scratch
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  pyodide.runPython(`import ${PRELOAD}`);
  if (cache) keepSnapshot(cache, key, pyodide.makeMemorySnapshot()).catch(() => {});
  return { pyodide, restored: false };
}

// The runtime could not be downloaded (a network error): most often offline, before the tools
// were ever kept on this device (the handbook is cached from any page; the tools once a tool
// page has been used online, see assets/js/offline.js).
function needsOneVisit(error) {
  if (!(error instanceof TypeError)) throw error;
  throw new Error("Python could not be downloaded: the tools need one visit to a tool page with a connection, and after that they work offline too");
}

async function start(pyodideUrl, lockFileURL) {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser cannot run WebAssembly, which the tools need.");
  }
  progress(1, "Downloading Python (about 10 MB, only the first time)");
  const [{ loadPyodide, version }, cache, { text, hash }] = await Promise.all([
    import(pyodideUrl).catch(needsOneVisit), snapshotCache(), readLockfile(lockFileURL).catch(needsOneVisit),
  ]);
  mark("pyodide-imported");
  progress(2, "Starting Python and loading the tools");
  const key = new URL(`${SNAPSHOT_NAME}-${version}-${hash}`, pyodideUrl).href;
  // Wheels named in the lockfile are found relative to it (here ../assets/wheels/).
  const lockfile = { lockFileContents: text, packageBaseUrl: new URL(".", lockFileURL).href };
  const { pyodide, restored } = await startPython(loadPyodide, lockfile, cache, key);
  mark(restored ? "interpreter-restored" : "interpreter-started");
  // Loaded by name from the lockfile, after the snapshot, so the snapshot stays bare.
  const loaded = await pyodide.loadPackage("cse-tools", { messageCallback: () => {}, errorCallback: () => {} });
  if (!loaded.some((p) => p.name === "cse-tools")) throw new Error("The tools package could not be loaded.");
  mark("tools-installed");
  const browser = pyodide.pyimport("cse_tools.browser");
  mark("tools-imported");
  handle = (text) => browser.handle(text);
  // Warm up: the first call loads the definitions, so the first real answer comes quickly.
  handle(JSON.stringify({ op: OPS.definitions }));
  mark("definitions-loaded");
  progress(3, "Python is ready");
  return { restored, marks };
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === WORKER_IN.start) {
    mark("start-received");
    if (!starting) {
      const lockFile = message.lockFile || new URL("pyodide-lock.json", message.pyodide).href;
      starting = start(message.pyodide, lockFile).then(
        ({ restored, marks: timings }) => self.postMessage({ type: WORKER_OUT.ready, restored, marks: timings }),
        (error) => self.postMessage({ type: WORKER_OUT.failed, message: String(error && error.message ? error.message : error) }),
      );
    }
    return;
  }
  if (message.type === WORKER_IN.call) {
    await starting;
    let response;
    if (!handle) {
      response = { ok: false, error: "The tools could not start in this browser.", field: null };
    } else {
      try {
        response = JSON.parse(handle(JSON.stringify(message.request)));
      } catch (error) {
        response = { ok: false, error: "Something went wrong in the tool. Please save your work and report this.", field: null };
      }
    }
    self.postMessage({ type: WORKER_OUT.reply, id: message.id, response });
  }
});
