// Types for word-stand-in.mjs (a plain ES module, so that the benchmarks can import it too).

export type SliceData = "copy" | "view" | "array";

export interface WordStandInOptions {
  /** The document: embedded as base64, or fetched from a URL when the script runs. */
  bytes: { base64: string } | { url: string };
  /** The file name Office.context.document.url ends with. */
  documentName: string;
  /** Slice data as a fresh Uint8Array per slice (default), a view of one buffer, or number[] as Word desktop gives. */
  sliceData?: SliceData;
  /** Always hand out this many slices, whatever slice size the pane asks for. */
  sliceCount?: number;
  /** Slice size when the pane asks for none (and sliceCount is not set); 4 MB by default. */
  sliceSize?: number;
  /** Delay before each getFileAsync / getSliceAsync answer; 0 by default. */
  delayMs?: number;
  /** Office.context.displayLanguage, Word's language ("en-US" by default; "de-DE", "qps-ploc"). */
  displayLanguage?: string;
}

/** What the stand-in records, as window.__wordStub in the page. */
export interface WordStub {
  slicesRead: number[];
  closeCalls: number;
  requestedSliceSize: number;
  settings: Record<string, string>;
  saved: number;
  times: { getFile?: number; lastSlice?: number };
  /** Event handlers the pane added (DocumentSelectionChanged). */
  handlers: unknown[];
}

/** The script to append to the real office.js. */
export function wordStandIn(options: WordStandInOptions): string;
