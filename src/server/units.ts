// Sizes in words. Its own file, importing nothing, because the document checks use it in the
// document reader's worker thread (workers/docx-worker.cjs), which should not load the server's
// configuration (and its validation library) just to print a limit.

export const MB = 1024 * 1024;

/** "50 MB" for 52428800; small test limits keep their significant digits ("0.0625 MB"). */
export function formatMegabytes(bytes: number): string {
  return `${parseFloat((bytes / MB).toPrecision(3))} MB`;
}
