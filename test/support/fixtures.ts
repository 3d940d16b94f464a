import fs from "node:fs";
import path from "node:path";

/** shared/ sits beside the repository (in CI too): ../shared/fixtures/docx. */
export const fixturesDir = path.resolve(__dirname, "../../../shared/fixtures/docx");

export function fixtureNames(): string[] {
  return fs.readdirSync(fixturesDir).filter((name) => name.endsWith(".docx")).sort();
}

export function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixturesDir, name));
}
