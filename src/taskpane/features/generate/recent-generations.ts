// The generations this pane follows, kept in the add-in's storage so that closing and reopening
// the pane (or Word) picks them up again.
import { useSyncExternalStore } from "react";
import { Observable, readJson, writeJson } from "../../api/local-store";
import type { GenerateRequest } from "../../../shared/wire/documents";
import { t } from "../../i18n";

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

// What this pane session saw of its generations (not stored: a new session starts afresh). A job
// started here, or seen running here, is announced once when it ends; one found already finished
// when the pane opens is not news. The card of a job just started is brought into view and focused.
let startedHere = new Set<string>();
let announced = new Set<string>();
let focusNext: string | undefined;

/** A generation's identity within the session (a task id may come again: the same name asked for twice). */
const sessionKey = (generation: Pick<TrackedGeneration, "taskId" | "startedAt">) => `${generation.taskId}@${generation.startedAt}`;

/** Notes that this pane started `generation` (it is then followed live from its start). */
export function noteStartedHere(generation: Pick<TrackedGeneration, "taskId" | "startedAt">): void {
  startedHere.add(sessionKey(generation));
}

export function wasStartedHere(generation: Pick<TrackedGeneration, "taskId" | "startedAt">): boolean {
  return startedHere.has(sessionKey(generation));
}

/** True the first time it is asked for `generation`: its outcome is to be announced now, and never again. */
export function firstAnnouncement(generation: Pick<TrackedGeneration, "taskId" | "startedAt">): boolean {
  const key = sessionKey(generation);
  if (announced.has(key)) return false;
  announced.add(key);
  return true;
}

/** Asks the card of `taskId` to scroll into view and take focus when it is next shown. */
export function focusWhenShown(taskId: string): void {
  focusNext = taskId;
}

/** True (once) when the card of `taskId` is to take focus. */
export function takeFocusRequest(taskId: string): boolean {
  if (focusNext !== taskId) return false;
  focusNext = undefined;
  return true;
}

/** Reads the list again from storage (a new pane session; tests). */
export function reloadRecentGenerations(): void {
  shared = undefined;
  startedHere = new Set();
  announced = new Set();
  focusNext = undefined;
}

export function useRecentGenerations(): TrackedGeneration[] {
  const store = recentGenerations();
  return useSyncExternalStore(store.subscribe, store.get);
}

/** A default output name that is unique enough: template name and the local time to the second. */
export function defaultOutputName(templateName: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${templateName.replace(/[\\/:*?"<>|]+/g, " ").trim() || t("generate.defaultOutputName")} ${stamp}`;
}

/** "Report" → "Report (2)", "Report (2)" → "Report (3)". */
export function nextOutputName(name: string): string {
  const match = /^(.*) \((\d+)\)$/.exec(name);
  return match ? `${match[1]} (${Number(match[2]) + 1})` : `${name} (2)`;
}
