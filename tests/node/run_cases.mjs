// Runs a batch of cse_tools.browser.handle requests inside Pyodide under Node, once.
//   node tests/node/run_cases.mjs LOCKFILE CASES_JSON OUT_JSON
// LOCKFILE is a site-style pyodide-lock.json (macros.build.write_lockfile): the tools are loaded
// from it by name, as the site's worker does.
// CASES_JSON holds a list of request strings; OUT_JSON receives
//   {outputs: [reply strings], origin, bundle, python, module}.
import { loadPyodide } from "pyodide";
import { readFileSync, writeFileSync } from "node:fs";

const [lockFile, casesPath, outPath] = process.argv.slice(2);
if (!lockFile || !casesPath || !outPath) {
  console.error("usage: run_cases.mjs LOCKFILE CASES_JSON OUT_JSON");
  process.exit(2);
}
try {
  const pyodide = await loadPyodide({ lockFileURL: lockFile });
  const errors = [];
  const loaded = await pyodide.loadPackage("cse-tools", { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
  if (!loaded.some((p) => p.name === "cse-tools")) throw new Error(`cse-tools did not load: ${errors.join(" ")}`);
  pyodide.FS.writeFile("/tmp/cases.json", readFileSync(casesPath, "utf8"));
  const result = pyodide.runPython(`
import json, sys
import cse_tools
from cse_tools.browser import handle
from cse_tools.catalog import bundle_json, catalog_origin, default_catalog

with open("/tmp/cases.json", encoding="utf-8") as fh:
    cases = json.load(fh)
json.dumps({
    "outputs": [handle(text) for text in cases],
    "origin": catalog_origin(),
    "bundle": bundle_json(default_catalog()),
    "python": sys.version,
    "module": cse_tools.__file__,
    "installed": __import__("importlib.metadata").metadata.version("cse-tools"),
})
`);
  writeFileSync(outPath, result, "utf8");
} catch (error) {
  // One readable message, not Pyodide's minified source.
  console.error(String(error && error.message ? error.message : error).slice(-4000));
  process.exit(1);
}
