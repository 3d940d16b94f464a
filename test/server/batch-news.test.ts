// Batch news shared between server processes on one PostgreSQL database (BatchEvents.share,
// LISTEN/NOTIFY): a message published by one process reaches the sockets watching the job on
// another, in order, exactly once; the publisher's own sockets hear it once (not again through the
// database); the listener comes back after its connection is cut. PostgreSQL only.
import pg from "pg";
import { BatchEvents } from "../../src/server/services/batch/events";
import type { BatchSocketMessage } from "../../src/shared/wire/batch";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/postgres";
import { until } from "./helpers";

const describePostgres = testEngine === "postgres" ? describe : describe.skip;

const keepalive = (jobId: string, status: "processing" | "paused"): BatchSocketMessage => ({ type: "keepalive", job_id: jobId, status });

describePostgres("batch news between processes", () => {
  let database: TestDatabase;
  const processes: BatchEvents[] = [];
  const remote: Array<{ process: number; jobId: string; message: BatchSocketMessage | null }> = [];
  const errors: Error[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const events = new BatchEvents();
      await events.share(database.url, (jobId, message) => remote.push({ process: i, jobId, message }), (error) => errors.push(error));
      processes.push(events);
    }
  });

  afterAll(async () => {
    for (const events of processes) await events.close();
    await database.drop();
  });

  test("a message published on one process reaches the other's watchers in order, and its own once", async () => {
    const [a, b] = processes as [BatchEvents, BatchEvents];
    const heardOnA: BatchSocketMessage[] = [];
    const heardOnB: BatchSocketMessage[] = [];
    const stopA = a.subscribe("job-1", (message) => heardOnA.push(message));
    const stopB = b.subscribe("job-1", (message) => heardOnB.push(message));
    const sent = [keepalive("job-1", "processing"), keepalive("job-1", "paused"), keepalive("job-1", "processing")];
    for (const message of sent) a.publish("job-1", message);
    await until(() => heardOnB.length === 3);
    expect(heardOnB).toEqual(sent);
    // Another job's watchers hear nothing of it.
    expect(b.watchers("job-2")).toBe(0);
    // Give a stray echo time to arrive: there is none.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardOnA).toEqual(sent);
    expect(remote.filter((notice) => notice.process === 1).map((notice) => notice.message)).toEqual(sent);
    expect(remote.filter((notice) => notice.process === 0)).toEqual([]);
    stopA();
    stopB();
    expect(errors).toEqual([]);
  });

  test("a nudge reaches the other process's runner, and no socket", async () => {
    const [a, b] = processes as [BatchEvents, BatchEvents];
    const heardOnB: BatchSocketMessage[] = [];
    const stop = b.subscribe("job-4", (message) => heardOnB.push(message));
    a.nudge("job-4");
    await until(() => remote.some((notice) => notice.process === 1 && notice.jobId === "job-4"));
    expect(remote.filter((notice) => notice.jobId === "job-4")).toEqual([{ process: 1, jobId: "job-4", message: null }]);
    expect(heardOnB).toEqual([]);
    stop();
  });

  test("after its listening connection is cut, a process hears the others again", async () => {
    const [a, b] = processes as [BatchEvents, BatchEvents];
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // Cut every listening connection (as a database restart would).
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sidecar-batch-news' AND query LIKE 'LISTEN%'");
    } finally {
      await admin.end();
    }
    const heard: BatchSocketMessage[] = [];
    const stop = b.subscribe("job-3", (message) => heard.push(message));
    // Published until B listens again (it reconnects after a second).
    await until(() => {
      a.publish("job-3", keepalive("job-3", "paused"));
      return heard.length > 0;
    }, 10_000);
    expect(heard[0]).toEqual(keepalive("job-3", "paused"));
    stop();
  }, 15_000);
});
