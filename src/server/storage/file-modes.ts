// The data directory holds the URL-signing secret (in sidecar.db), every stored document and the
// sign-in tables: it is the server's alone. Directories are 0700 and files 0600; a directory
// created by an older version (0755 / 0644) is tightened at start-up.
import fs from "node:fs";
import path from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Sets `dir` and everything under it private; the paths whose mode changed. */
export function makePrivate(dir: string): string[] {
  const changed: string[] = [];
  const visit = (target: string, isDirectory: boolean) => {
    const wanted = isDirectory ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    let mode: number;
    try {
      mode = fs.statSync(target).mode & 0o777;
    } catch {
      return; // gone meanwhile
    }
    if (mode !== wanted) {
      fs.chmodSync(target, wanted);
      changed.push(target);
    }
    if (!isDirectory) return;
    for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(path.join(target, entry.name), true);
      else if (entry.isFile()) visit(path.join(target, entry.name), false);
    }
  };
  visit(dir, true);
  return changed;
}
