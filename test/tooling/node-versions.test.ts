/**
 * What `npm ci` installs fits the Node the README promises (Jest project "server").
 * Every locked package that names the Node versions it supports accepts the lowest version
 * package.json's `engines` allows, so `npm ci` on that Node prints no EBADENGINE warning and
 * nothing is installed that its authors say won't run there. Every package with an install
 * script is decided in `allowScripts`, so a later npm that stops running undecided scripts
 * still builds the native database binding.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import semver from "semver";

const ROOT = resolve(__dirname, "..", "..");

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  optional?: boolean;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** "node_modules/a/node_modules/@b/c" → "@b/c" */
function nameOf(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);
}

const lowestNode = semver.minVersion(pkg.engines.node);

test("package.json promises Node 20, and the README says the same lowest version", () => {
  expect(lowestNode?.major).toBe(20);
  const promised = /On a machine with Node 20 \((20\.\d+) or later\)/.exec(readme);
  expect(promised?.[1]).toBeDefined();
  expect(semver.coerce(promised?.[1])?.version).toBe(lowestNode?.version);
});

test("every locked package accepts the lowest Node that package.json allows", () => {
  const refusing = Object.entries(lock.packages)
    .filter(([lockPath]) => lockPath !== "")
    .flatMap(([lockPath, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!range || !lowestNode || semver.satisfies(lowestNode, range)) return [];
      return [`${nameOf(lockPath)}@${entry.version ?? "?"} wants node ${range}`];
    });
  expect(refusing).toEqual([]);
});

test("every package with an install script is decided in allowScripts, and the database binding's runs", () => {
  const allow = pkg.allowScripts ?? {};
  const withScripts = [...new Set(Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript).map(([lockPath]) => nameOf(lockPath)))];
  expect(withScripts.filter((name) => !(name in allow))).toEqual([]);
  // Entries for packages that are no longer installed would hide a decision nobody made.
  expect(Object.keys(allow).filter((name) => !withScripts.includes(name))).toEqual([]);
  // better-sqlite3's install fetches (or builds) the native binding the server cannot start without.
  expect(allow["better-sqlite3"]).toBe(true);
});
