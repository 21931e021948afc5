// ESLint (flat config; .mjs because package.json is not "type": "module") for the project's own JavaScript: the browser glue in docs/assets/js/ and
// the components' scripts in overrides/partials/. Run by `make lint`.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Only the project's own code. material-content.js and material-palette.js are Material for
    // MkDocs' inline scripts copied unchanged into files (for the CSP), so they keep Material's
    // style and are not linted. material-base.js is linted: it is Material's bootstrap plus the
    // site's own display preferences.
    ignores: [
      "**/*",
      "!docs/",
      "!docs/assets/",
      "!docs/assets/js/",
      "!docs/assets/js/*.js",
      "!overrides/",
      "!overrides/partials/",
      "!overrides/partials/**/",
      "!overrides/partials/**/*.js",
      "docs/assets/js/material-content.js",
      "docs/assets/js/material-palette.js",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      // `catch (error) {}` names what it ignores; eslint 9+ would flag the unused name.
      "no-unused-vars": ["error", { caughtErrors: "none" }],
    },
  },
  {
    // Classic scripts (not modules) and the Web Worker / service worker.
    files: ["docs/assets/js/material-base.js"],
    languageOptions: { sourceType: "script" },
    // Its top-level names (__md_get, __md_set, __md_hash) are globals Material's bundle reads.
    rules: { "no-unused-vars": ["error", { vars: "local", caughtErrors: "none" }] },
  },
  {
    files: ["docs/assets/js/tool-worker.js", "docs/assets/js/service-worker.js"],
    languageOptions: { globals: { ...globals.worker, ...globals.serviceworker } },
  },
];
