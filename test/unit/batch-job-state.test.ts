import { allowedControls, doneCount, initialJobView, isSnapshotOver, jobReducer, type JobAction, type JobView } from "../../src/taskpane/features/batch/job-state";

const result = (rowId: number, status: string, extra: Record<string, unknown> = {}) => ({
  row_id: rowId,
  row_number: rowId + 1,
  title: `Doc ${rowId + 1}.docx`,
  document_id: `doc-${rowId + 1}`,
  file_path: `o/documents/doc-${rowId + 1}.docx`,
  status,
  success: status === "success",
  tags: [],
  error: null,
  ...extra,
});

const catchup = (status: string, results: unknown[], counts: Record<string, unknown> = {}) => ({
  type: "socket" as const,
  message: {
    type: "catchup",
    job_id: "job-1",
    state: { status, total: 3, processed_count: 0, failed_count: 0, progress: 0, ...counts },
    results,
  },
});

const progress = (rowId: number, status: string, extra: Record<string, unknown> = {}) => ({
  type: "socket" as const,
  message: { type: "progress", job_id: "job-1", row_id: rowId, row_number: rowId + 1, title: `Doc ${rowId + 1}.docx`, document_id: `doc-${rowId + 1}`, status, ...extra },
});

const run = (actions: JobAction[], start: JobView = initialJobView("job-1", ["Doc 1.docx", "Doc 2.docx", "Doc 3.docx"])) => actions.reduce(jobReducer, start);

const rowSummary = (view: JobView) => view.rows.map((r) => `${r.title}:${r.status}${r.tags.length ? `[${r.tags.join(",")}]` : ""}${r.error ? `!${r.error}` : ""}`);

test("a new job shows its documents as waiting before the server says anything", () => {
  const view = initialJobView("job-1", ["A.docx", "B.docx"]);
  expect(view).toMatchObject({ status: "unknown", total: 2, taggedCount: 0, failedCount: 0, progress: 0, final: false });
  expect(rowSummary(view)).toEqual(["A.docx:pending", "B.docx:pending"]);
});

test("catchup then progress: rows move to tagging, then tagged with their tags; counts and progress follow", () => {
  const view = run([
    catchup("processing", [result(0, "success", { tags: ["budget", "forecast"] }), result(1, "pending"), result(2, "pending")], {
      processed_count: 1,
      progress: 1 / 3,
    }),
    progress(1, "processing", { progress: 1 / 3, processed_count: 1, failed_count: 0 }),
    progress(1, "success", { tags: ["risk", "audit"], progress: 2 / 3, processed_count: 2, failed_count: 0 }),
    progress(2, "processing", { progress: 2 / 3, processed_count: 2, failed_count: 0 }),
    progress(2, "failed", { error: "Document not found", progress: 1, processed_count: 2, failed_count: 1 }),
  ]);
  expect(view.status).toBe("processing");
  expect(rowSummary(view)).toEqual(["Doc 1.docx:success[budget,forecast]", "Doc 2.docx:success[risk,audit]", "Doc 3.docx:failed!Document not found"]);
  expect(view).toMatchObject({ total: 3, taggedCount: 2, failedCount: 1, progress: 1, final: false });
  expect(doneCount(view)).toBe(3);
});

test("catchup numbers may be strings (the vendor's Redis hash) and results may carry only `success`", () => {
  const view = run([
    {
      type: "socket",
      message: {
        type: "catchup",
        job_id: "job-1",
        state: { status: "processing", total: "3", processed_count: "1", failed_count: "1", progress: "0.6666" },
        results: [
          { row_id: 0, row_number: 1, title: "Doc 1.docx", success: true, tags: ["a"], error: null },
          { row_id: 1, row_number: 2, title: "Doc 2.docx", success: false, tags: [], error: "Model failed" },
        ],
      },
    },
  ]);
  expect(view).toMatchObject({ total: 3, taggedCount: 1, failedCount: 1 });
  expect(view.progress).toBeCloseTo(0.6666);
  expect(rowSummary(view)).toEqual(["Doc 1.docx:success[a]", "Doc 2.docx:failed!Model failed", "Doc 3.docx:pending"]);
});

test("out-of-order and repeated progress never moves a document or the counts backwards", () => {
  const done = run([
    catchup("processing", [result(0, "pending"), result(1, "pending"), result(2, "pending")]),
    progress(0, "success", { tags: ["alpha"], progress: 1 / 3, processed_count: 1, failed_count: 0 }),
  ]);
  // The "started" message arrives late, then the success again, then an old count.
  const late = run([progress(0, "processing", { progress: 0, processed_count: 0, failed_count: 0 })], done);
  expect(rowSummary(late)[0]).toBe("Doc 1.docx:success[alpha]");
  expect(late).toMatchObject({ taggedCount: 1, progress: 1 / 3 });
  const repeated = run([progress(0, "success", { tags: ["alpha"], progress: 1 / 3, processed_count: 1, failed_count: 0 })], late);
  expect(repeated).toBe(late); // nothing new: the same object, no re-render
  // A finished document is settled: a contradicting message does not flip it.
  const flipped = run([progress(0, "failed", { error: "late error" })], repeated);
  expect(rowSummary(flipped)[0]).toBe("Doc 1.docx:success[alpha]");
});

test("progress for a document the pane did not know yet adds it in job order", () => {
  const view = run([progress(4, "processing"), progress(3, "success", { tags: ["x"] })], initialJobView("job-1"));
  expect(view.rows.map((r) => r.rowId)).toEqual([3, 4]);
  expect(view.total).toBe(2);
});

test("the vendor's untyped progress (no `type`, has row_id) counts as progress", () => {
  const view = run([{ type: "socket", message: { job_id: "job-1", row_id: 0, row_number: 1, title: "Doc 1.docx", status: "success", tags: ["t"] } }]);
  expect(rowSummary(view)[0]).toBe("Doc 1.docx:success[t]");
});

test("keepalive reports pause and resume; progress while paused (the current document finishing) keeps it paused", () => {
  const running = run([catchup("processing", [result(0, "processing")])]);
  const paused = run([{ type: "socket", message: { type: "keepalive", job_id: "job-1", status: "paused" } }], running);
  expect(paused.status).toBe("paused");
  expect(allowedControls(paused.status)).toEqual({ pause: false, resume: true, cancel: true });
  const finishing = run([progress(0, "success", { tags: ["kept"], processed_count: 1, failed_count: 0, progress: 1 / 3 })], paused);
  expect(finishing.status).toBe("paused");
  expect(rowSummary(finishing)[0]).toBe("Doc 1.docx:success[kept]");
  const resumed = run([{ type: "socket", message: { type: "keepalive", job_id: "job-1", status: "processing" } }], finishing);
  expect(resumed.status).toBe("processing");
  expect(allowedControls(resumed.status)).toEqual({ pause: true, resume: false, cancel: true });
});

test("the first progress of a pending job means it is processing", () => {
  const view = run([catchup("pending", []), progress(0, "processing")]);
  expect(view.status).toBe("processing");
});

test("completed is final: counts, time and words from the message; nothing reopens it", () => {
  const view = run([
    catchup("processing", [result(0, "success", { tags: ["a"] }), result(1, "failed", { error: "Document not found" }), result(2, "processing")]),
    progress(2, "success", { tags: ["c"], processed_count: 2, failed_count: 1, progress: 1 }),
    { type: "socket", message: { type: "completed", job_id: "job-1", total_documents: 3, processed_count: 2, failed_count: 1, processing_time: 4.2, message: "Processed 3 documents" } },
  ]);
  expect(view).toMatchObject({ status: "completed", final: true, taggedCount: 2, failedCount: 1, progress: 1, processingTime: 4.2, message: "Processed 3 documents" });
  expect(allowedControls(view.status)).toEqual({ pause: false, resume: false, cancel: false });
  const after = run([{ type: "socket", message: { type: "keepalive", job_id: "job-1", status: "processing" } }, { type: "status", status: "paused" }], view);
  expect(after.status).toBe("completed");
  expect(after.final).toBe(true);
});

test("cancelled keeps the progress where it stopped; error marks the job failed with its words", () => {
  const cancelled = run([
    catchup("processing", [result(0, "success", { tags: ["a"] }), result(1, "pending"), result(2, "pending")], { processed_count: 1, progress: 1 / 3 }),
    { type: "socket", message: { type: "cancelled", job_id: "job-1", processed_count: 1, failed_count: 0, message: "Job cancelled" } },
  ]);
  expect(cancelled).toMatchObject({ status: "cancelled", final: true, taggedCount: 1, message: "Job cancelled" });
  expect(cancelled.progress).toBeCloseTo(1 / 3);

  const crashed = run([catchup("processing", []), { type: "socket", message: { type: "error", job_id: "job-1", error: "Tagger crashed: out of memory" } }]);
  expect(crashed).toMatchObject({ status: "failed", final: true, error: "Tagger crashed: out of memory" });
});

test("a finished job seen on connect: catchup, then the final status with 'Job already …'", () => {
  const view = run([
    catchup("completed", [result(0, "success", { tags: ["a"] }), result(1, "success", { tags: ["b"] }), result(2, "success", { tags: ["c"] })], {
      processed_count: 3,
      progress: 1,
    }),
    { type: "socket", message: { type: "completed", job_id: "job-1", total_documents: "3", processed_count: "3", failed_count: "0", message: "Job already completed" } },
  ]);
  expect(view).toMatchObject({ status: "completed", final: true, taggedCount: 3, failedCount: 0, message: "Job already completed" });
});

test("a polled status snapshot merges with what the socket said, in either order", () => {
  // The socket said document 1 is tagged; an older snapshot (taken before) says it is still tagging.
  const fromSocket = run([catchup("processing", [result(0, "processing"), result(1, "pending"), result(2, "pending")]), progress(0, "success", { tags: ["fresh"], processed_count: 1, failed_count: 0, progress: 1 / 3 })]);
  const withOldSnapshot = run(
    [
      {
        type: "snapshot",
        snapshot: { job_id: "job-1", status: "processing", progress: 0, processed_count: 0, failed_count: 0, total: 3, total_documents: 3, results: [result(0, "processing"), result(1, "pending"), result(2, "pending")] },
      },
    ],
    fromSocket,
  );
  expect(rowSummary(withOldSnapshot)).toEqual(["Doc 1.docx:success[fresh]", "Doc 2.docx:pending", "Doc 3.docx:pending"]);
  expect(withOldSnapshot).toMatchObject({ taggedCount: 1, progress: 1 / 3 });

  // A newer snapshot (the socket was down) brings documents 2 and 3; then the socket is back with progress.
  const withNewSnapshot = run(
    [
      {
        type: "snapshot",
        snapshot: {
          job_id: "job-1",
          status: "processing",
          progress: 2 / 3,
          processed_count: 1,
          failed_count: 1,
          total: 3,
          results: [result(0, "success", { tags: ["fresh"] }), result(1, "failed", { error: "file_path is required" }), result(2, "processing")],
        },
      },
      progress(2, "success", { tags: ["late"], processed_count: 2, failed_count: 1, progress: 1 }),
    ],
    withOldSnapshot,
  );
  expect(rowSummary(withNewSnapshot)).toEqual(["Doc 1.docx:success[fresh]", "Doc 2.docx:failed!file_path is required", "Doc 3.docx:success[late]"]);
  expect(withNewSnapshot).toMatchObject({ taggedCount: 2, failedCount: 1, progress: 1, final: false });
});

test("a final snapshot ends the job: failed carries the job's error", () => {
  const view = run([{ type: "snapshot", snapshot: { status: "failed", error: "The server restarted and could not resume", results: [] } }]);
  expect(view).toMatchObject({ status: "failed", final: true, error: "The server restarted and could not resume" });
});

test("a control answer's status applies unless the job is over; unknown statuses are ignored", () => {
  const running = run([catchup("processing", [])]);
  expect(run([{ type: "status", status: "paused" }], running).status).toBe("paused");
  expect(run([{ type: "status", status: "exploded" }], running).status).toBe("processing");
  expect(run([{ type: "socket", message: { type: "started", job_id: "job-1" } }], running)).toBe(running);
  expect(run([{ type: "socket", message: "not an object" }], running)).toBe(running);
});

test("the controls follow the status", () => {
  expect(allowedControls("pending")).toEqual({ pause: true, resume: false, cancel: true });
  expect(allowedControls("processing")).toEqual({ pause: true, resume: false, cancel: true });
  expect(allowedControls("paused")).toEqual({ pause: false, resume: true, cancel: true });
  for (const status of ["completed", "cancelled", "failed", "unknown"] as const) {
    expect(allowedControls(status)).toEqual({ pause: false, resume: false, cancel: false });
  }
});

test("cancelled while a document is being tagged: not over until that document's result arrives (socket or snapshot)", () => {
  const running = run([catchup("processing", [result(0, "processing"), result(1, "pending")])]);
  // The cancel answer says cancelled at once; the document being tagged still finishes on the server.
  const cancelling = run([{ type: "status", status: "cancelled" }], running);
  expect(cancelling).toMatchObject({ status: "cancelled", final: false });
  expect(allowedControls(cancelling.status)).toEqual({ pause: false, resume: false, cancel: false });
  const finished = run([progress(0, "success", { tags: ["kept"], processed_count: 1, failed_count: 0, progress: 0.5 })], cancelling);
  expect(rowSummary(finished)[0]).toBe("Doc 1.docx:success[kept]");
  expect(finished.final).toBe(true);

  // Polling: a cancelled snapshot with a document still tagging keeps the job open; the next one ends it.
  const snapshot = (rows: unknown[]) => ({ type: "snapshot" as const, snapshot: { status: "cancelled", total: 2, results: rows } });
  const polled = run([snapshot([result(0, "processing"), result(1, "pending")])], running);
  expect(polled).toMatchObject({ status: "cancelled", final: false });
  expect(isSnapshotOver({ status: "cancelled", results: [result(0, "processing")] })).toBe(false);
  const ended = run([snapshot([result(0, "failed", { error: "Document not found" }), result(1, "pending")])], polled);
  expect(ended).toMatchObject({ status: "cancelled", final: true, failedCount: 1 });
  expect(isSnapshotOver({ status: "cancelled", results: [result(0, "failed")] })).toBe(true);
  expect(isSnapshotOver({ status: "completed", results: [] })).toBe(true);
  expect(isSnapshotOver({ status: "paused", results: [] })).toBe(false);
});
