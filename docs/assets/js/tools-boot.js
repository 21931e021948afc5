// Starts Python for a tool page as early as possible. overrides/main.html loads this module with
// `async` from <head> on pages with `python: true`, so the worker, Pyodide and the tools wheel
// start downloading while the page is still being parsed. The page's own script imports
// `tools` from here (one module instance, so one worker).
import { startTools } from "./tools-client.js";

performance.mark("cse:boot"); // bench/run.py: when this page could start the worker

export const tools = startTools();

// Once Python has started (or failed to): say how it started (data-python-start = "restored"
// from the kept snapshot, or "fresh"), and let the offline copy (offline.js) begin, so that
// caching the whole site does not compete with Python's own first download and start.
function settled(how) {
  document.documentElement.dataset.pythonStart = how;
  document.documentElement.dataset.toolsSettled = "yes";
  window.dispatchEvent(new Event("cse-tools-settled"));
}
tools.ready.then(({ restored }) => settled(restored ? "restored" : "fresh"), () => settled("failed"));
