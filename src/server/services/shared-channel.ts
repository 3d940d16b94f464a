// A LISTEN/NOTIFY channel shared by the server processes of one PostgreSQL database: one
// listening connection per process (listened again a second after it drops, until it works) and
// NOTIFY through a one-connection pool, so notices are sent, and so delivered, in the order they
// were sent. Used for batch news (batch/events.ts), ended sign-ins (the token cache of
// storage/sign-in-store.ts) and changed documents (storage/document-store.ts; sent by a trigger).
import { randomUUID } from "node:crypto";
import pg from "pg";

/** NOTIFY's payload is at most 8000 bytes; the notices sent are far smaller. */
const MAX_PAYLOAD = 7900;

export interface SharedChannelOptions {
  databaseUrl: string;
  channel: string;
  applicationName: string;
  /** Whether this process hears its own notices too (else they are dropped). */
  hearOwn: boolean;
}

interface Envelope<T> {
  origin: string;
  body: T;
}

export class SharedChannel<T> {
  private readonly origin = randomUUID();
  private readonly notifier: pg.Pool;
  private listener: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: SharedChannelOptions,
    private readonly deliver: (body: T) => void,
    private readonly onError: (error: Error) => void,
    /** Called when the listening connection drops, and when listening starts again after it (notices sent meanwhile were missed). */
    private readonly onGap: { dropped: () => void; back: () => void } = { dropped: () => undefined, back: () => undefined },
  ) {
    this.notifier = new pg.Pool({ connectionString: options.databaseUrl, max: 1, application_name: options.applicationName });
    this.notifier.on("error", () => undefined);
  }

  /** The payload to send for `body` (for a NOTIFY made inside a transaction: delivered at its commit). */
  payload(body: T): string {
    return JSON.stringify({ origin: this.origin, body } satisfies Envelope<T>);
  }

  async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: this.options.applicationName });
    client.on("notification", (notification) => {
      if (notification.channel !== this.options.channel || !notification.payload) return;
      try {
        const envelope = JSON.parse(notification.payload) as Envelope<T>;
        if (this.options.hearOwn || envelope.origin !== this.origin) this.deliver(envelope.body);
      } catch (error) {
        this.onError(error as Error);
      }
    });
    client.on("error", (error) => {
      if (this.closed || this.listener !== client) return;
      this.onError(error);
      this.reconnect();
    });
    client.on("end", () => {
      if (this.listener === client) this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${this.options.channel}`);
    this.listener = client;
  }

  notify(body: T): void {
    if (this.closed) return;
    const payload = this.payload(body);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      this.onError(new Error(`a notice of ${Buffer.byteLength(payload)} bytes is too long to share with the other processes`));
      return;
    }
    this.notifier.query("SELECT pg_notify($1, $2)", [this.options.channel, payload]).catch((error: Error) => {
      if (!this.closed) this.onError(error);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listener?.end().catch(() => undefined);
    await this.notifier.end().catch(() => undefined);
  }

  /** The listening connection dropped (a database restart): listen again in a second, until it works. */
  private reconnect(): void {
    if (this.closed || this.retry) return;
    this.listener = null;
    this.onGap.dropped();
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().then(this.onGap.back, (error: Error) => {
        this.onError(error);
        this.reconnect();
      });
    }, 1000);
    this.retry.unref();
  }
}
