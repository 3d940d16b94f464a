// Live batch news, in process: the runner and the control routes publish a job's socket messages
// here, and every socket watching that job receives them in order. Publishing is synchronous and
// follows the database write it reports, so a socket that subscribes and then reads the job's
// state (in the same tick) misses nothing and sees nothing twice.
import { EventEmitter } from "node:events";
import type { BatchSocketMessage } from "../../../shared/wire/batch";

export type BatchListener = (message: BatchSocketMessage) => void;

export class BatchEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open socket: any number may watch.
    this.emitter.setMaxListeners(0);
  }

  publish(jobId: string, message: BatchSocketMessage): void {
    this.emitter.emit(jobId, message);
  }

  /** Calls `listener` with each message of the job from now on; returns the unsubscribe. */
  subscribe(jobId: string, listener: BatchListener): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  watchers(jobId: string): number {
    return this.emitter.listenerCount(jobId);
  }
}
