// A small client for tool-worker.js, shared by every tool page (see tools-boot.js).
//   const tools = startTools();                  // starts Python at once
//   tools.onProgress((message) => ...);          // replays the latest step to late listeners
//   const response = await tools.call({op: OPS.assess, ...});  // OPS from cse-shared.js
// `ready` resolves when Python is ready (with {restored}: started from the kept snapshot) and rejects with a plain message if it cannot start;
// call() always resolves, with {ok: false, error} when the tools are not available.
// The messages and the requests are described once, in tools/cse_tools/protocol.py.
import { WORKER_IN, WORKER_OUT } from "./cse-shared.js";

const CANNOT_START = "The tools could not start in this browser.";

const SITE_ROOT = new URL("../../", import.meta.url); // this file is assets/js/tools-client.js

// The worker's start-up steps as performance marks ("cse:pyodide-imported", ...) on this page's
// timeline, for bench/run.py; and "cse:ready" when the page hears that Python is ready.
function markSteps(marks) {
  if (typeof performance.mark !== "function") return;
  for (const [step, at] of Object.entries(marks || {})) {
    performance.mark(`cse:${step}`, { startTime: Math.max(0, at - performance.timeOrigin) });
  }
  performance.mark("cse:ready");
}

export function startTools() {
  const pending = new Map();
  const listeners = new Set();
  let lastProgress = null;
  const onProgress = (message) => {
    lastProgress = message;
    for (const listener of listeners) listener(message);
  };
  const subscribe = (listener) => {
    listeners.add(listener);
    if (lastProgress) listener(lastProgress);
  };
  let nextId = 1;
  let settle;
  let failed = null;
  const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  ready.catch(() => {}); // callers handle the failure through onProgress / call()

  function fail(message) {
    if (failed) return;
    failed = message || CANNOT_START;
    settle.reject(new Error(failed));
    for (const resolve of pending.values()) resolve({ ok: false, error: failed, field: null });
    pending.clear();
  }

  let worker = null;
  try {
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
      throw new Error("This browser cannot run the tools (it needs Web Workers and WebAssembly).");
    }
    worker = new Worker(new URL("assets/js/tool-worker.js", SITE_ROOT), { type: "module" });
  } catch (error) {
    fail(error && error.message ? error.message : CANNOT_START);
    return { ready, onProgress: subscribe, call: async () => ({ ok: false, error: failed, field: null }) };
  }

  worker.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === WORKER_OUT.progress) onProgress(message);
    else if (message.type === WORKER_OUT.ready) {
      markSteps(message.marks);
      settle.resolve({ restored: Boolean(message.restored), library: message.library });
      document.documentElement.dataset.pythonLibrary = message.library || ""; // "reduced" or "full"
    }
    else if (message.type === WORKER_OUT.failed) fail(message.message);
    else if (message.type === WORKER_OUT.reply) {
      pending.get(message.id)?.(message.response);
      pending.delete(message.id);
    }
  });
  worker.addEventListener("error", (event) => {
    if (event.preventDefault) event.preventDefault();
    fail(event.message || CANNOT_START);
  });
  worker.postMessage({
    type: WORKER_IN.start,
    pyodide: new URL("pyodide/pyodide.mjs", SITE_ROOT).href,
    lockFile: new URL("pyodide/pyodide-lock.json", SITE_ROOT).href, // the tools are loaded by name from it
    // Not yet controlled by the service worker: the worker keeps the runtime files it fetches for it.
    controlled: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller),
  });

  let calls = 0;
  function call(request) {
    if (failed) return Promise.resolve({ ok: false, error: failed, field: null });
    if (calls++ === 0) performance.mark("cse:first-call");
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ type: WORKER_IN.call, id, request });
    });
  }

  return { ready, onProgress: subscribe, call };
}
