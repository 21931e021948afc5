// Runs a batch of cse_tools.browser.handle requests inside Pyodide under Node, once, started the
// way the site's worker (docs/assets/js/tool-worker.js) starts it.
//   node tests/node/run_cases.mjs LOCKFILE CASES_JSON OUT_JSON [--stdlib ZIP] [--preload NAMES]
//                                 [--trace PY]
// LOCKFILE is a site-style pyodide-lock.json (macros.build.write_lockfile): the tools are loaded
// from it by name, as the site's worker does.
// CASES_JSON holds a list of request strings; OUT_JSON receives
//   {outputs: [reply strings], origin, bundle, python, module, installed, modules, missed, trace}.
// --stdlib: the standard library to start from (default: Pyodide's own, the full one); the
//   reduced one (macros/stdlib.py) carries _cse_stdlib, whose guard is installed as the worker
//   installs it, and `missed` lists the left-out modules anything tried to import.
// --preload: the worker's PRELOAD, imported before the (Node-side, discarded) memory snapshot.
// --trace: a Python file run at the end; its `trace()` result goes in `trace`
//   (scripts/stdlib_trace.py: the import graph, for scripts/stdlib_modules.py).
// `modules` lists every module in sys.modules that was imported from the standard library zip.
import { loadPyodide } from "pyodide";
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const stdLibURL = option("--stdlib");
const preload = option("--preload");
const tracePy = option("--trace");
const [lockFile, casesPath, outPath] = args;
if (!lockFile || !casesPath || !outPath) {
  console.error("usage: run_cases.mjs LOCKFILE CASES_JSON OUT_JSON [--stdlib ZIP] [--preload NAMES] [--trace PY]");
  process.exit(2);
}
try {
  const pyodide = await loadPyodide({ lockFileURL: lockFile, ...(stdLibURL ? { stdLibURL } : {}), _makeSnapshot: true });
  if (preload) pyodide.runPython(`import ${preload}`);
  pyodide.makeMemorySnapshot(); // what the worker does before the tools are loaded
  const reduced = pyodide.runPython("import importlib.util\nimportlib.util.find_spec('_cse_stdlib') is not None");
  if (reduced) pyodide.runPython("import _cse_stdlib\n_cse_stdlib.install()");
  const errors = [];
  const loaded = await pyodide.loadPackage("cse-tools", { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  if (!loaded.some((p) => p.name === "cse-tools")) throw new Error(`cse-tools did not load: ${errors.join(" ")}`);
  pyodide.FS.writeFile("/tmp/cases.json", readFileSync(casesPath, "utf8"));
  if (tracePy) pyodide.FS.writeFile("/tmp/stdlib_trace.py", readFileSync(tracePy, "utf8"));
  const result = pyodide.runPython(`
import json, sys
import cse_tools
from cse_tools.browser import handle
from cse_tools.catalog import bundle_json, catalog_origin, default_catalog

with open("/tmp/cases.json", encoding="utf-8") as fh:
    cases = json.load(fh)
outputs = [handle(text) for text in cases]
zip_modules = sorted(
    name for name, module in list(sys.modules.items())
    if str(getattr(getattr(module, "__spec__", None), "origin", None) or "").startswith("/lib/python3")
    and ".zip/" in str(module.__spec__.origin)
)
# Installed as a package, with its metadata (read as a file: importlib.metadata would bring the
# email package, which the reduced library leaves out).
from pathlib import Path
metadata = next(Path(cse_tools.__file__).parent.parent.glob("cse_tools-*.dist-info/METADATA"))
installed = next(line.split(":", 1)[1].strip() for line in metadata.read_text().splitlines() if line.startswith("Version:"))
trace = None
if ${tracePy ? "True" : "False"}:
    sys.path.insert(0, "/tmp")
    import stdlib_trace
    trace = stdlib_trace.trace(zip_modules)
json.dumps({
    "outputs": outputs,
    "origin": catalog_origin(),
    "bundle": bundle_json(default_catalog()),
    "python": sys.version,
    "module": cse_tools.__file__,
    "installed": installed,
    "modules": zip_modules,
    "missed": sorted(set(sys.modules["_cse_stdlib"].MISSED)) if "_cse_stdlib" in sys.modules else None,
    "trace": trace,
})
`);
  writeFileSync(outPath, result, "utf8");
} catch (error) {
  // One readable message, not Pyodide's minified source.
  console.error(String(error && error.message ? error.message : error).slice(-4000));
  process.exit(1);
}
