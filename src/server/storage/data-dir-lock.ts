// One server per data directory: two would both run the job queues and write the same files. The
// lock is a file (`sidecar.lock`) created exclusively, holding the pid of the server that owns the
// directory. A lock whose process is gone (a crash, kill -9) is taken over; one whose process still
// runs makes the second server refuse to start, naming that process.
import fs from "node:fs";
import path from "node:path";

export const LOCK_FILE = "sidecar.lock";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Another Sidecar server (process ${pid}) is using the data directory ${dataDir}. Stop that server first, or give this one another directory with SIDECAR_DATA_DIR.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DataDirLock {
  /** The pid of a stale lock that was taken over, if there was one. */
  tookOverFrom: number | null;
  release(): void;
}

/** Takes the data directory for this process; throws DataDirLockedError when a running server has it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  let tookOverFrom: number | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      let released = false;
      return {
        tookOverFrom,
        release: () => {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    // The same process counts as holding it too: two servers in one process would clash alike.
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) throw new DataDirLockedError(dataDir, holder);
    // Stale (its process is gone, or the file is unreadable): take it over.
    tookOverFrom = Number.isInteger(holder) ? holder : null;
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: it keeps changing. Is another server starting on the same directory?`);
}
