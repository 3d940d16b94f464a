// Jest runs three projects: "unit" (office layer, api client, components: jsdom + msw),
// "server" (the local server over real HTTP) and "e2e" (headless Chromium against the real
// local server serving the built pane). `npm test` runs all three.
const fs = require("fs");
const path = require("path");

// Packages that ship only ES modules must be transformed for Jest on Node 20
// (see shared/notes/tooling.md §7); everything else stays untransformed for speed.
const hasCjs = (pj) => /\.cjs$/.test(pj.main || "") || JSON.stringify(pj.exports || {}).includes('"require"');
function esmOnly(dir = path.join(__dirname, "node_modules"), out = new Set()) {
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (name.startsWith(".")) continue;
    const names = name.startsWith("@") ? fs.readdirSync(path.join(dir, name)).map((n) => `${name}/${n}`) : [name];
    for (const n of names) {
      try {
        const pj = JSON.parse(fs.readFileSync(path.join(dir, n, "package.json"), "utf8"));
        if (pj.type === "module" && !hasCjs(pj)) out.add(n);
      } catch {
        /* not a package */
      }
      esmOnly(path.join(dir, n, "node_modules"), out);
    }
  }
  return out;
}
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const esm = [...esmOnly()].map(esc).join("|");

const transform = { "^.+\\.(c|m)?(t|j)sx?$": ["@swc/jest", require("./scripts/swc-typescript.js")] };
const transformIgnorePatterns = [`/node_modules/(?!(.+/node_modules/)?(${esm})/)`];
const common = { transform, transformIgnorePatterns, rootDir: __dirname };

module.exports = {
  projects: [
    {
      ...common,
      displayName: "unit",
      testEnvironment: "jest-fixed-jsdom",
      setupFilesAfterEnv: ["<rootDir>/test/setup-dom.ts"],
      testMatch: ["<rootDir>/test/unit/**/*.test.ts?(x)", "<rootDir>/test/component/**/*.test.ts?(x)"],
    },
    {
      ...common,
      displayName: "server",
      testEnvironment: "node",
      globalSetup: "<rootDir>/test/server-bundle.js",
      setupFilesAfterEnv: ["<rootDir>/test/setup-server.ts"],
      testMatch: ["<rootDir>/test/server/**/*.test.ts", "<rootDir>/test/tooling/**/*.test.ts", "<rootDir>/test/contract/**/*.test.ts"],
    },
    {
      ...common,
      displayName: "e2e",
      testEnvironment: "node",
      globalSetup: "<rootDir>/test/server-bundle.js",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
    },
  ],
};
