// The batch job this pane follows, kept in the add-in's storage so that closing and reopening the
// pane (or Word) attaches to it again — and a finished one keeps showing its results until the
// person dismisses it.
import { parseServerTime } from "../../api/get-documents";
import { formatDateTime, t } from "../../i18n";

export interface FollowedJob {
  jobId: string;
  /** Titles in job order, to show the documents as waiting before the server's first word. */
  titles: string[];
  /** ms since epoch when this pane started or picked it. */
  since: number;
}

export const followedJobKey = "sidecar.batch.job";
export const selectionKey = "sidecar.batch.selection";
export const optionsKey = "sidecar.batch.options";

export interface TaggingOptions {
  /** As typed, so nothing the person entered is lost while it is not a valid number yet. */
  numTags: string;
  exclusionWords: string;
}

export const defaultTaggingOptions: TaggingOptions = { numTags: "8", exclusionWords: "" };
export const minTags = 3;
export const maxTags = 15;

/** The number of tags, or words saying what is wrong with what was typed. */
export function parseNumTags(value: string): { value: number } | { problem: string } {
  const trimmed = value.trim();
  if (!trimmed) return { problem: t("batch.numTagsMissing", { min: minTags, max: maxTags }) };
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n < minTags || n > maxTags) return { problem: t("batch.numTagsInvalid", { min: minTags, max: maxTags }) };
  return { value: n };
}

/** Words to leave out: separated by commas or new lines; blanks and repeats dropped (case-insensitive). */
export function parseExclusionWords(value: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const part of value.split(/[,\n\r]+/)) {
    const word = part.trim();
    if (!word || seen.has(word.toLowerCase())) continue;
    seen.add(word.toLowerCase());
    words.push(word);
  }
  return words;
}

/** A short name for a job in lists: its start time when known, else the start of its id. */
export function jobLabel(jobId: string, createdAt?: string | null): string {
  const short = jobId.length > 8 ? jobId.slice(0, 8) : jobId;
  const started = createdAt ? parseServerTime(createdAt) : undefined;
  return started
    ? t("batch.jobLabelStarted", { id: short, time: formatDateTime(started, { dateStyle: "short", timeStyle: "short" }) })
    : t("batch.jobLabel", { id: short });
}
