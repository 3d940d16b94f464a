// The generations this pane follows, kept in the add-in's storage so that closing and reopening
// the pane (or Word) picks them up again.
import { useSyncExternalStore } from "react";
import { Observable, readJson, writeJson } from "../../api/local-store";
import type { GenerateRequest } from "../../../shared/wire/documents";

export interface TrackedGeneration {
  taskId: string;
  outputName: string;
  templateName: string;
  startedAt: number;
  /**
   * How long the job took (ms, from the request to Ready or Failed), once known: from the
   * server's times, else from the pane's own watch (it saw the job run, then end). Kept so every
   * later visit shows the same figure, not how long ago it started. Absent while it is not known.
   */
  tookMs?: number;
  /** Kept to offer "Try again" with a new output name. */
  request: GenerateRequest;
}

const storageKey = "sidecar.generations";
const keep = 10;

export class RecentGenerations extends Observable<TrackedGeneration[]> {
  constructor() {
    const stored = readJson<TrackedGeneration[]>(storageKey);
    super(Array.isArray(stored) ? stored.filter((g) => g && typeof g.taskId === "string") : []);
  }
  /** Adds (or moves to the top) a generation; returns false when it was already followed. */
  track(generation: TrackedGeneration): boolean {
    const existing = this.get().some((g) => g.taskId === generation.taskId);
    this.save([generation, ...this.get().filter((g) => g.taskId !== generation.taskId)].slice(0, keep));
    return !existing;
  }
  /** Records how long a followed job took (once; later calls keep the first figure). */
  recordDuration(taskId: string, tookMs: number): void {
    if (!Number.isFinite(tookMs) || tookMs < 0) return;
    if (!this.get().some((g) => g.taskId === taskId && g.tookMs === undefined)) return;
    this.save(this.get().map((g) => (g.taskId === taskId ? { ...g, tookMs } : g)));
  }
  forget(taskId: string): void {
    this.save(this.get().filter((g) => g.taskId !== taskId));
  }
  private save(list: TrackedGeneration[]): void {
    writeJson(storageKey, list);
    this.set(list);
  }
}

let shared: RecentGenerations | undefined;
export function recentGenerations(): RecentGenerations {
  shared ??= new RecentGenerations();
  return shared;
}

/** Reads the list again from storage (a new pane session; tests). */
export function reloadRecentGenerations(): void {
  shared = undefined;
}

export function useRecentGenerations(): TrackedGeneration[] {
  const store = recentGenerations();
  return useSyncExternalStore(store.subscribe, store.get);
}

/** A default output name that is unique enough: template name and the local time to the second. */
export function defaultOutputName(templateName: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${templateName.replace(/[\\/:*?"<>|]+/g, " ").trim() || "Document"} ${stamp}`;
}

/** "Report" → "Report (2)", "Report (2)" → "Report (3)". */
export function nextOutputName(name: string): string {
  const match = /^(.*) \((\d+)\)$/.exec(name);
  return match ? `${match[1]} (${Number(match[2]) + 1})` : `${name} (2)`;
}
