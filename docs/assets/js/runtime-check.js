// Loads the self-hosted Pyodide runtime on a bare page (pyodide/check.html) and runs one line of
// Python. It shows a person whether Python runs in their browser, and it is the baseline that
// the tests and bench/ measure the tool pages against: Pyodide as it is published, so with its
// full standard library (pyodide/full/; the tools start from the reduced one, macros/stdlib.py).
import { loadPyodide } from "../../pyodide/pyodide.mjs";

const status = document.getElementById("status");
const started = performance.now();
try {
  const pyodide = await loadPyodide({ stdLibURL: new URL("../../pyodide/full/python_stdlib.zip", import.meta.url).href });
  const answer = pyodide.runPython("import sys; f'Python {sys.version.split()[0]} works: 6 x 7 = {6 * 7}'");
  status.textContent = answer;
  document.body.dataset.loadMs = String(Math.round(performance.now() - started));
  document.body.dataset.readyAt = String(Math.round(performance.now())); // since navigation
  document.body.dataset.ready = "yes";
} catch (error) {
  status.textContent = `Python could not start in this browser: ${error.message}`;
  document.body.dataset.ready = "error";
}
