// Batch tagging jobs as the routes see them (docs/vendors.md (tag generator, Part B)): start, status, pause / resume /
// cancel, the caller's open jobs, and watching a job over the WebSocket. A job belongs to the
// person who started it: for everyone else it does not exist (404 "Job not found").
import { randomUUID } from "node:crypto";
import type {
  ActiveBatchesResponse,
  BatchControlResponse,
  BatchJobSummary,
  BatchSocketMessage,
  BatchStatusResponse,
  ParsedStartBatchRequest,
  StartBatchResponse,
} from "../../../shared/wire/batch";
import { HttpError } from "../../errors";
import { BatchJobExistsError, type BatchCounts, type BatchJobRow, type BatchJobStatus } from "../../storage/batch-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import type { BatchEvents, BatchListener } from "./events";
import type { BatchRunner } from "./runner";
import { startRequestOf } from "./start-request";
import { FINAL_MESSAGE_TYPES, finalMessage, jobState, progressOf, resultWire, tagsOf } from "./wire";

export const JOB_NOT_FOUND = "Job not found";

export type ControlCommand = "pause" | "resume" | "cancel";

const COMMANDS: Record<ControlCommand, { from: readonly BatchJobStatus[]; to: BatchJobStatus; verb: string }> = {
  pause: { from: ["pending", "processing"], to: "paused", verb: "Pause" },
  resume: { from: ["paused"], to: "processing", verb: "Resume" },
  cancel: { from: ["pending", "processing", "paused"], to: "cancelled", verb: "Cancel" },
};

const FINAL: ReadonlySet<BatchJobStatus> = new Set(["completed", "failed", "cancelled"]);

/** Why `command` is refused for a job in `status`, in words (409). */
export function refusal(command: ControlCommand, status: BatchJobStatus): string {
  const is = FINAL.has(status) ? `Job is already ${status}` : `Job is ${status}`;
  switch (command) {
    case "pause":
      return status === "paused" ? "Job is already paused; resume it to continue." : `${is}; it cannot be paused.`;
    case "resume":
      return `${is}; only a paused job can be resumed.`;
    case "cancel":
      return `${is}; it cannot be cancelled.`;
  }
}

export interface Watch {
  /** The job was finished: the listener had its catchup and final message, and hears nothing more. */
  finished: boolean;
  /** Stops the listener (idempotent; done already when finished, or after a final message). */
  unsubscribe(): void;
}

/** What /active lists of a job, and the start of its status. */
function jobSummary(job: BatchJobRow, counts: BatchCounts): BatchJobSummary {
  return {
    job_id: job.job_id,
    status: job.status,
    progress: progressOf(counts),
    processed_count: counts.succeeded,
    failed_count: counts.failed,
    total: counts.total,
    total_documents: counts.total,
    created_at: job.created_at,
  };
}

export class BatchJobService {
  constructor(
    private readonly storage: Storage,
    private readonly runner: BatchRunner,
    private readonly events: BatchEvents,
    /** The model that tags (SIDECAR_LLM_MODEL when a model is configured), recorded with each job. */
    private readonly modelName: string | null,
    /** Batch jobs one organization may have waiting; a start beyond it is 429. */
    private readonly maxPending = Number.POSITIVE_INFINITY,
  ) {}

  async start(caller: Caller, body: ParsedStartBatchRequest): Promise<StartBatchResponse> {
    const request = startRequestOf(body);
    const jobId = request.jobId ?? randomUUID();
    try {
      // The count and the creation in one transaction: two starts at once can't both take the last place.
      await this.storage.sql.transaction(async () => {
        const pending = await this.storage.batch.countPending(caller.organizationId);
        if (pending >= this.maxPending) {
          throw new HttpError(
            429,
            `Your organization already has ${pending} tagging jobs waiting to start, the most this server queues for one organization. Wait until one has started, then try again.`,
            { "retry-after": "30" },
          );
        }
        await this.storage.batch.createJob({
          jobId,
          organizationId: caller.organizationId,
          userId: caller.userId,
          numTags: request.numTags,
          numPages: request.numPages,
          exclusionWords: request.exclusionWords,
          modelName: this.modelName,
          columnMapping: request.columnMapping,
          documents: request.documents,
        });
      });
    } catch (error) {
      if (error instanceof BatchJobExistsError) {
        throw new HttpError(409, `A batch job with the id "${jobId}" already exists. Leave job_id out to get a new id, or choose another.`);
      }
      throw error;
    }
    await this.runner.notify(jobId);
    const total = request.documents.length;
    return { job_id: jobId, total_documents: total, message: `Started processing of ${total} documents` };
  }

  async status(caller: Caller, jobId: string): Promise<BatchStatusResponse> {
    const job = await this.own(caller, jobId);
    const counts = await this.storage.batch.counts(jobId);
    const results = (await this.storage.batch.results(jobId)).map(resultWire);
    return {
      ...jobSummary(job, counts),
      results_count: counts.succeeded + counts.failed,
      updated_at: job.updated_at,
      finished_at: job.finished_at,
      error: job.error,
      config: { num_tags: job.num_tags, exclusion_words: tagsOf(job.exclusion_words_json), model_name: job.model_name },
      results,
    };
  }

  async active(caller: Caller): Promise<ActiveBatchesResponse> {
    const jobs = await this.storage.batch.listOpen(caller.userId);
    return {
      jobs: await Promise.all(jobs.map(async (job) => jobSummary(job, await this.storage.batch.counts(job.job_id)))),
    };
  }

  /**
   * pause / resume / cancel: the new status at once, or 409 saying why not. The change and its
   * message are made under the job's lock (BatchEvents.exclusive), so they keep their order with
   * the runner's.
   */
  async control(caller: Caller, jobId: string, command: ControlCommand): Promise<Required<BatchControlResponse>> {
    await this.own(caller, jobId);
    const rule = COMMANDS[command];
    return this.events.exclusive(jobId, async () => {
      const job = await this.storage.batch.transition(jobId, rule.from, rule.to);
      if (!job) {
        const current = (await this.storage.batch.getJob(jobId)) as BatchJobRow;
        throw new HttpError(409, refusal(command, current.status));
      }
      if (command === "pause") {
        // Heard by the job's worker, in this process or (PostgreSQL) another.
        this.events.publish(jobId, { type: "keepalive", job_id: jobId, status: job.status });
        this.runner.wake(jobId);
      } else if (command === "resume") {
        this.events.publish(jobId, { type: "keepalive", job_id: jobId, status: job.status });
        // Not awaited: taking it into a slot needs this job's lock, held here.
        void this.runner.notify(jobId).catch(() => undefined);
      } else if (this.runner.cancelled(job)) {
        // A worker is on it (here or in another process): it reports the cancel after its current document.
        this.events.nudge(jobId);
      } else {
        // Not running (pending or paused): it is over now.
        const message = finalMessage(job, await this.storage.batch.counts(jobId), false);
        if (message) this.events.publish(jobId, message);
      }
      return { message: `${rule.verb} command sent to job ${jobId}`, job_id: jobId, status: job.status };
    });
  }

  /**
   * Starts watching a job for a socket: `listener` gets the catchup (and, for a finished job, its
   * final message) before this resolves, then every later message of the job until a final one
   * or unsubscribe. The snapshot and the subscription are taken under the job's lock, which every
   * write that publishes holds too: nothing is missed, nothing heard twice, the catchup first.
   * 404 (HttpError) before the listener hears anything.
   */
  async watch(caller: Caller, jobId: string, listener: BatchListener): Promise<Watch> {
    await this.own(caller, jobId);
    return this.events.exclusive(jobId, async () => {
      // Read again under the lock (jobs are never deleted).
      const job = (await this.storage.batch.getJob(jobId)) as BatchJobRow;
      const counts = await this.storage.batch.counts(jobId);
      const catchup: BatchSocketMessage = {
        type: "catchup",
        job_id: jobId,
        state: jobState(job, counts),
        results: (await this.storage.batch.results(jobId)).map(resultWire),
      };
      // A job cancelled while a document is being tagged is not over for its watchers yet: the runner
      // reports that document's result, then the cancel (and the socket closes then).
      const stillTagging = job.status === "cancelled" && this.runner.isWorking(job);
      const final = stillTagging ? null : finalMessage(job, counts, true);
      listener(catchup);
      if (final) {
        listener(final);
        return { finished: true, unsubscribe: () => undefined };
      }
      let stop: (() => void) | null = null;
      const unsubscribe = () => {
        stop?.();
        stop = null;
      };
      stop = this.events.subscribe(jobId, (message) => {
        listener(message);
        if (FINAL_MESSAGE_TYPES.has(message.type)) unsubscribe();
      });
      return { finished: false, unsubscribe };
    });
  }

  /** The job's status now (for keepalives); null when it is gone or the server is stopping. */
  async currentStatus(jobId: string): Promise<BatchJobStatus | null> {
    if (!this.storage.isOpen) return null;
    try {
      return (await this.storage.batch.getJob(jobId))?.status ?? null;
    } catch (error) {
      // The storage closed while the status was read: the server is stopping.
      if (!this.storage.isOpen) return null;
      throw error;
    }
  }

  private async own(caller: Caller, jobId: string): Promise<BatchJobRow> {
    const job = await this.storage.batch.getJob(jobId);
    if (!job || job.user_id !== caller.userId) throw new HttpError(404, JOB_NOT_FOUND);
    return job;
  }
}
