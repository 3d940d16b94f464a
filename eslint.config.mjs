// ESLint flat config (`npm run lint` = `eslint .`).
// - typescript-eslint's recommended rules everywhere (type information only for the server's
//   promise rules; `npm run typecheck` does types);
// - Office add-in rules (eslint-plugin-office-addins) for the code that runs inside Word;
// - browser globals for the pane, Node globals for the server, scripts, tests and config files.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import officeAddins from "eslint-plugin-office-addins";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The plugin's own "recommended" flat config also turns on Prettier formatting and sets an ES2015
// parser; take only its Office rules (load before read, sync placement, isNullObject, …).
const officeAddinsRules = Object.fromEntries(
  officeAddins.configs.recommended
    .flatMap((config) => Object.entries(config.rules ?? {}))
    .filter(([name]) => name.startsWith("office-addins/")),
);

const unusedVars = [
  "error",
  {
    args: "after-used",
    argsIgnorePattern: "^_",
    varsIgnorePattern: "^_",
    caughtErrorsIgnorePattern: "^_",
    destructuredArrayIgnorePattern: "^_",
    ignoreRestSiblings: true,
  },
];

export default defineConfig(
  { ignores: ["dist/", "node_modules/", ".sidecar/", "coverage/", "bench-results/", "test-results/"] },

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": unusedVars,
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": "off",
    },
  },

  // Code that runs in the browser / inside Word.
  {
    files: ["src/taskpane/**/*.{ts,tsx}", "src/commands/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "no-console": ["warn", { allow: ["warn", "error"] }],
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  {
    files: ["src/taskpane/**/*.{ts,tsx}", "src/commands/**/*.ts"],
    // The plain-browser host implements the same interface with DOM APIs (document.getSelection(), …),
    // which these name-based Office rules would mistake for Word proxy objects.
    ignores: ["src/taskpane/office/browser-*.ts", "src/taskpane/office/browser/**"],
    plugins: { "office-addins": officeAddins },
    rules: officeAddinsRules,
  },

  // Node: the local server, scripts, tests and the config files at the root.
  {
    files: ["src/server/**", "scripts/**", "test/**", "bench/**", "*.{js,cjs,mjs,ts}"],
    languageOptions: { globals: { ...globals.node } },
  },
  // The server: its storage is asynchronous (storage/sql.ts), so a store call that is not awaited
  // would run out of order or lose its error. These two rules need type information, read here only,
  // from tsconfig.lint-server.json: the server and the code it shares, without the pane, the tests
  // and their types (the whole project's program made `npm run lint` take 30 s instead of 19).
  {
    files: ["src/server/**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.lint-server.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  // Benchmarks drive a browser: code inside page.evaluate runs there.
  {
    files: ["bench/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  // CommonJS files (webpack.config.js, jest.config.js, scripts/*.js).
  {
    files: ["**/*.{js,cjs}"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },

  // Tests: Jest globals; `any` is sometimes the honest type for a fake, so only warn.
  {
    files: ["test/**"],
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      "@typescript-eslint/no-explicit-any": "warn",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
