// Small helpers shared by the storage modules (and only by them).
import fs from "node:fs";

export function nowIso(): string {
  return new Date().toISOString();
}

export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Writes `bytes` to a new file and fsyncs it before returning. */
export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
