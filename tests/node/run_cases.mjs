// Runs a batch of cse_tools.browser.handle requests inside Pyodide under Node, once.
//   node tests/node/run_cases.mjs WHEEL CASES_JSON OUT_JSON
// CASES_JSON holds a list of request strings; OUT_JSON receives
//   {outputs: [reply strings], origin, bundle, python, module}.
import { loadPyodide } from "pyodide";
import { readFileSync, writeFileSync } from "node:fs";

const [wheelPath, casesPath, outPath] = process.argv.slice(2);
if (!wheelPath || !casesPath || !outPath) {
  console.error("usage: run_cases.mjs WHEEL CASES_JSON OUT_JSON");
  process.exit(2);
}
try {
  const pyodide = await loadPyodide();
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  // Node's Buffer is not accepted: pass a plain Uint8Array.
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: sitePackages });
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
})
`);
  writeFileSync(outPath, result, "utf8");
} catch (error) {
  // One readable message, not Pyodide's minified source.
  console.error(String(error && error.message ? error.message : error).slice(-4000));
  process.exit(1);
}
