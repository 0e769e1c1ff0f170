// ESLint for the front end: the page's modules, the Python worker, the service worker
// and the build's Node programs. tests/test_lint.py runs it from the repository's root:
//   npx --prefix tests/lint eslint --config tests/lint/eslint.config.mjs web
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["web/editor/node_modules/**"] },
  js.configs.recommended,
  {
    files: ["web/**/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["web/js/py-worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["web/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["web/**/*.mjs"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
  },
  {
    rules: {
      // An argument, a caught error or what a rest pattern leaves out may be named and unused.
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
];
