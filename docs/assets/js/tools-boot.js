// Starts Python for a tool page as early as possible. overrides/main.html loads this module with
// `async` from <head> on pages with `python: true`, so the worker, Pyodide and the tools wheel
// start downloading while the page is still being parsed. The page's own script imports
// `tools` from here (one module instance, so one worker).
import { startTools } from "./tools-client.js";

const wheel = document.querySelector('meta[name="cse-tools-wheel"]');
export const tools = startTools(new URL(wheel.content, document.baseURI).href);
