// A background pass that must not overlap itself (taking queued jobs into free slots: two passes
// at once would both fill the same slot). `run()` starts one, or, while one runs, one more after
// it; either way it resolves once a pass that began after the call has ended — so a request that
// queued a job can answer after the job was taken, when there was room for it.
export class SerialPass {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  /** `pass` must not reject (it logs its own errors). */
  constructor(private readonly pass: () => Promise<void>) {}

  run(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.next ??= this.running.then(() => {
      this.next = null;
      return this.run();
    });
    return this.next;
  }

  /** Waits until no pass runs or is queued. */
  async idle(): Promise<void> {
    while (this.running || this.next) await (this.next ?? this.running);
  }
}
