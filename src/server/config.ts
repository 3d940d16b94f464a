// Server configuration, read once from the environment. Every value has a default so that
// `npm run server` works with no setup; an invalid value stops startup with a message that
// names the variable and says what it should be.
import path from "node:path";
import { z } from "zod";
import { SERVICES, type ServiceName } from "../shared/contract/endpoints";
import { LOGIN_FLAG_NAMES, type LoginFlagName } from "../shared/wire/auth";
import { MB } from "./units";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The Ejento sign-in methods the feature flags can name (docs/vendors.md Ejento A2.4). `password` is our
 * extension (Ejento's own list doesn't name it); the `_sso` ones are served by a development
 * page on the local server (no identity provider).
 */
export const LOGIN_METHODS = LOGIN_FLAG_NAMES;
export type LoginMethod = LoginFlagName;

export interface Config {
  port: number;
  host: string;
  /** Holds sidecar.db, files/ (stored uploads) and tmp/ (uploads in progress); only tmp/ on PostgreSQL. */
  dataDir: string;
  /**
   * SIDECAR_DATABASE_URL: a PostgreSQL database (postgres://…) for rows and files, which several
   * server processes can share; null = SQLite in dataDir (one process).
   */
  databaseUrl: string | null;
  /** SIDECAR_DATABASE_POOL_SIZE: connections this process keeps to PostgreSQL at most. */
  databasePoolSize: number;
  /** SIDECAR_WORKERS: server processes `npm run server` starts on the one port (more than 1 needs PostgreSQL). */
  workers: number;
  /** When set, every API call must carry it as `Ocp-Apim-Subscription-Key`. */
  apiKey: string | null;
  /** Lifetime of the ejento_access_token (the token every API call carries). */
  tokenTtlSeconds: number;
  /** Lifetime of a sign-in and of its access_token (the token used to refresh). */
  refreshTtlSeconds: number;
  demoPassword: string;
  /** Whether the demo account is created on first start (SIDECAR_DEMO_ACCOUNT; "auto" = on a loopback HOST only). */
  demoAccount: boolean;
  maxUploadBytes: number;
  /** Zip-bomb guard: the most bytes an uploaded .docx may inflate to. */
  maxUnpackedBytes: number;
  /** Zip-bomb guard: the most entries an uploaded .docx may hold. */
  maxZipEntries: number;
  /** The built task pane (webpack output). */
  staticDir: string;
  allowedOrigins: string[];
  logLevel: LogLevel;
  /** How many generation jobs run at once; the rest wait as Pending. */
  generationConcurrency: number;
  /** How many times a job interrupted by a server stop is started before it ends Failed. */
  generationMaxAttempts: number;
  /** PostgreSQL's shared job queue: how long a process holds a job it took, how often expired holds are freed, how often idle workers ask. */
  jobs: { leaseSeconds: number; maintenanceSeconds: number; pollingSeconds: number };
  /** Pause between pipeline stages (demos, and tests that need a slow job). */
  pipelineStepDelayMs: number;
  /** Lifetime of a presigned file URL. */
  presignTtlSeconds: number;
  /** Scheme://host[/path] that presigned URLs start with; null = as the caller reached the server. */
  publicUrl: string | null;
  /** How often files under tmp/ that nothing uses are removed. */
  tempSweepMs: number;
  /** Host names (besides loopback names, HOST and the public URL's) the server answers to; "*" = any. */
  allowedHosts: string[];
  /** Pause between the chat answer's streamed deltas (0 in tests). */
  chatDeltaDelayMs: number;
  /** An OpenAI-compatible model for chat answers, rewording and generated sections; null = extractive answers (no model). */
  llm: { baseUrl: string; apiKey: string | null; model: string } | null;
  /** How long a generated section waits for the model before it is composed from extracts instead. */
  llmTimeoutMs: number;
  /** Worker threads that read .docx files (0 = read on the main thread). */
  docxWorkers: number;
  /** Pause before each document of a batch tagging job (demos, and tests that watch a job mid-way). */
  batchDocumentDelayMs: number;
  /** A batch job's WebSocket sends a keepalive after this long without another message. */
  batchKeepaliveMs: number;
  /** The most one document of a batch job may take (reading it and asking the model); then it fails. */
  batchDocumentTimeoutMs: number;
  /** Words or phrases the chat guardrail refuses in a question (SIDECAR_BLOCKED_TERMS), compared without case. */
  blockedTerms: string[];
  /** Pause before a document uploaded into a corpus is indexed (demos, and tests that watch its step). */
  indexingDelayMs: number;
  /** The faces this server serves (SIDECAR_SERVICES); only their routes are registered. */
  services: ServiceName[];
  /** The Ejento sign-in methods that are on (SIDECAR_LOGIN_METHODS); the feature flags say so. */
  loginMethods: LoginMethod[];
  /** Where sign-in codes are e-mailed from; null = they are written to the server log (development). */
  smtp: { url: string; from: string } | null;
  /** Sign-in throttling (services/sign-in-throttle.ts). */
  signIn: {
    /** Failed sign-ins for one account within the window before it is locked. */
    maxFailures: number;
    /** Failed sign-ins from one client address within the window before it is locked. */
    maxFailuresPerAddress: number;
    /** Failures older than this (with no lock running) are forgotten. */
    windowSeconds: number;
    /** The first lock; each further failure after a lock doubles it (up to an hour). */
    lockoutSeconds: number;
  };
  /** Password hashes computed at once (the rest wait, taken in turn per client address). */
  passwordHashConcurrency: number;
  /** Generations one organization may have waiting (Pending); more are refused with 429. */
  maxQueuedGenerations: number;
  /** Batch jobs one organization may have waiting (pending); more are refused with 429. */
  maxQueuedBatches: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid server configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function wholeNumber(min: number, max: number, unit = "") {
  const range = `a whole number${unit} from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be ${range}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `must be ${range}` }).max(max, { message: `must be ${range}` }));
}

/** The items of a comma-separated setting, each normalised, empty ones dropped. */
function commaItems(value: string, normalise: (item: string) => string): string[] {
  return value
    .split(",")
    .map(normalise)
    .filter((item) => item.length > 0);
}

function originList() {
  return z
    .string()
    .transform((value) => commaItems(value, (item) => item.trim()))
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        let parsed: URL | null = null;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = null;
        }
        if (!parsed || parsed.origin !== origin) {
          ctx.addIssue({
            code: "custom",
            message: `"${origin}" is not an origin; write each as scheme://host[:port] with no path, e.g. https://localhost:3000`,
          });
        }
      }
    });
}

/** A comma list of names, each one of `allowed`, at least one; duplicates dropped, order kept. */
function nameList<T extends string>(allowed: readonly T[]) {
  return z
    .string()
    .transform((value) => [...new Set(commaItems(value, (item) => item.trim().toLowerCase()))])
    .superRefine((names, ctx) => {
      const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
      if (unknown.length > 0 || names.length === 0) {
        ctx.addIssue({
          code: "custom",
          message: `must be a comma-separated list of ${allowed.join(", ")}${unknown.length ? `; not known: ${unknown.join(", ")}` : ""}`,
        });
      }
    })
    .transform((names) => names as T[]);
}

/** A comma list of words or phrases (blank items dropped, duplicates dropped without case), each at most 100 characters. */
function termList() {
  return z
    .string()
    .transform((value) => {
      const seen = new Set<string>();
      return commaItems(value, (item) => item.trim().replace(/\s+/g, " ")).filter((item) => !seen.has(item.toLowerCase()) && seen.add(item.toLowerCase()));
    })
    .superRefine((terms, ctx) => {
      const long = terms.filter((term) => term.length > 100);
      if (long.length > 0) ctx.addIssue({ code: "custom", message: `must be a comma-separated list of words or phrases of at most 100 characters each; too long: ${long[0]}` });
    });
}

/** A trimmed string that must parse as a URL `accept` agrees with; otherwise `message`. */
function urlWhere(accept: (url: URL) => boolean, message: string) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      let parsed: URL | null = null;
      try {
        parsed = new URL(value);
      } catch {
        parsed = null;
      }
      if (!parsed || !accept(parsed)) ctx.addIssue({ code: "custom", message });
    });
}

function smtpUrl() {
  return urlWhere((url) => /^smtps?:$/.test(url.protocol) && url.hostname !== "", "must be an SMTP address as smtp://user:password@host:port (or smtps:// for TLS)");
}

/** A host name as a Host header carries it (DNS name, IPv4, or [IPv6]), with an optional port. */
const HOST_ENTRY = /^(?<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * A comma list of host names, lower-cased; a port is dropped (the allowlist compares names:
 * "box.lan:8443" allows box.lan), "*" kept. Anything else — a scheme, a path — is refused with
 * words rather than silently never matching.
 */
function hostList() {
  return z
    .string()
    .transform((value) => commaItems(value, (item) => item.trim().toLowerCase()))
    .superRefine((hosts, ctx) => {
      const bad = hosts.filter((host) => host !== "*" && !HOST_ENTRY.test(host));
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `must be a comma-separated list of host names (name or name:port, no scheme or path, e.g. sidecar.lan,192.168.1.20); "${bad[0]}" is not a host name`,
        });
      }
    })
    .transform((hosts) => hosts.map((host) => (host === "*" ? host : (HOST_ENTRY.exec(host)?.groups?.name ?? host))));
}

function publicUrl() {
  return urlWhere(
    (url) => /^https?:$/.test(url.protocol) && !url.search && !url.hash,
    "must be the server's public address as http(s)://host[:port][/path], e.g. https://sidecar.example.com",
  ).transform((value) => value.replace(/\/+$/, ""));
}

/** A listen address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

/** The demo account's password when SIDECAR_DEMO_PASSWORD is not set (public, so it may be printed). */
export const DEFAULT_DEMO_PASSWORD = "sidecar-demo";

const envSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3100),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  SIDECAR_DATA_DIR: z.string().default(".sidecar/data"),
  SIDECAR_DATABASE_POOL_SIZE: wholeNumber(1, 1000).default(20),
  SIDECAR_WORKERS: wholeNumber(1, 64).default(1),
  SIDECAR_DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^postgres(ql)?:\/\//.test(value), { message: "must be a PostgreSQL URL (postgres://user:password@host:port/database)" }),
  SIDECAR_API_KEY: z.string().optional(),
  SIDECAR_TOKEN_TTL_SECONDS: wholeNumber(1, 30 * 24 * 3600, " of seconds").default(3600),
  SIDECAR_REFRESH_TTL_SECONDS: wholeNumber(1, 365 * 24 * 3600, " of seconds").default(7 * 24 * 3600),
  SIDECAR_DEMO_PASSWORD: z
    .string()
    .min(8, { message: "must be at least 8 characters long" })
    .default(DEFAULT_DEMO_PASSWORD),
  SIDECAR_DEMO_ACCOUNT: z.enum(["auto", "yes", "no"], { message: 'must be "auto", "yes" or "no"' }).default("auto"),
  SIDECAR_MAX_UPLOAD_BYTES: wholeNumber(1, 4 * 1024 * MB, " of bytes").default(50 * MB),
  SIDECAR_MAX_UNPACKED_BYTES: wholeNumber(1, 16 * 1024 * MB, " of bytes").default(500 * MB),
  SIDECAR_MAX_ZIP_ENTRIES: wholeNumber(1, 1_000_000).default(5000),
  SIDECAR_STATIC_DIR: z.string().default("dist"),
  SIDECAR_ALLOWED_ORIGINS: originList().default(["https://localhost:3000", "https://127.0.0.1:3000"]),
  SIDECAR_ALLOWED_HOSTS: hostList().default([]),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  SIDECAR_GENERATION_CONCURRENCY: wholeNumber(1, 64).default(2),
  SIDECAR_GENERATION_MAX_ATTEMPTS: wholeNumber(1, 100).default(3),
  SIDECAR_JOB_LEASE_SECONDS: wholeNumber(2, 24 * 3600, " of seconds").default(900),
  SIDECAR_JOB_MAINTENANCE_SECONDS: wholeNumber(1, 3600, " of seconds").default(30),
  SIDECAR_JOB_POLL_SECONDS: wholeNumber(1, 60, " of seconds").default(2),
  SIDECAR_PIPELINE_STEP_DELAY_MS: wholeNumber(0, 10 * 60 * 1000, " of milliseconds").default(0),
  SIDECAR_PRESIGN_TTL_SECONDS: wholeNumber(1, 7 * 24 * 3600, " of seconds").default(3600),
  SIDECAR_PUBLIC_URL: publicUrl().optional(),
  SIDECAR_CHAT_DELTA_DELAY_MS: wholeNumber(0, 10_000, " of milliseconds").default(10),
  SIDECAR_LLM_BASE_URL: publicUrl().optional(),
  SIDECAR_LLM_API_KEY: z.string().optional(),
  SIDECAR_LLM_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
  SIDECAR_LLM_TIMEOUT_MS: wholeNumber(100, 3600 * 1000, " of milliseconds").default(60_000),
  SIDECAR_DOCX_WORKERS: wholeNumber(0, 16).default(1),
  SIDECAR_BATCH_DOCUMENT_DELAY_MS: wholeNumber(0, 10 * 60 * 1000, " of milliseconds").default(0),
  SIDECAR_BATCH_KEEPALIVE_MS: wholeNumber(10, 3600 * 1000, " of milliseconds").default(30_000),
  SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS: wholeNumber(100, 3600 * 1000, " of milliseconds").default(120_000),
  SIDECAR_BLOCKED_TERMS: termList().default([]),
  SIDECAR_TEMP_SWEEP_MS: wholeNumber(100, 24 * 3600 * 1000, " of milliseconds").default(60_000),
  SIDECAR_INDEXING_DELAY_MS: wholeNumber(0, 10 * 60 * 1000, " of milliseconds").default(0),
  SIDECAR_SERVICES: nameList(SERVICES).default([...SERVICES]),
  SIDECAR_LOGIN_METHODS: nameList(LOGIN_METHODS).default(["password", "otp"]),
  SIDECAR_SMTP_URL: smtpUrl().optional(),
  SIDECAR_SMTP_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
      message: 'must be an e-mail address, e.g. sidecar@example.com or "Sidecar <sidecar@example.com>"',
    })
    .optional(),
  SIDECAR_SIGN_IN_MAX_FAILURES: wholeNumber(1, 1000).default(5),
  SIDECAR_SIGN_IN_MAX_FAILURES_PER_ADDRESS: wholeNumber(1, 1_000_000).default(20),
  SIDECAR_SIGN_IN_WINDOW_SECONDS: wholeNumber(1, 24 * 3600, " of seconds").default(900),
  SIDECAR_SIGN_IN_LOCKOUT_SECONDS: wholeNumber(1, 3600, " of seconds").default(30),
  SIDECAR_PASSWORD_HASH_CONCURRENCY: wholeNumber(1, 64).default(2),
  SIDECAR_MAX_QUEUED_GENERATIONS: wholeNumber(1, 100_000).default(20),
  SIDECAR_MAX_QUEUED_BATCHES: wholeNumber(1, 100_000).default(10),
});

/** Variables whose value is never echoed in an error (it holds a password). */
const SECRET_VARIABLES = new Set(["SIDECAR_SMTP_URL", "SIDECAR_DEMO_PASSWORD"]);

/**
 * Reads the configuration from `env` (empty strings count as unset). Relative directories are
 * resolved against `cwd`. Throws ConfigError listing every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const got = raw[name] === undefined || SECRET_VARIABLES.has(name) ? "" : ` (got "${raw[name]}")`;
        return `${name} ${issue.message}${got}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.SIDECAR_REFRESH_TTL_SECONDS < e.SIDECAR_TOKEN_TTL_SECONDS) {
    throw new ConfigError([
      `SIDECAR_REFRESH_TTL_SECONDS (${e.SIDECAR_REFRESH_TTL_SECONDS}) must be at least SIDECAR_TOKEN_TTL_SECONDS (${e.SIDECAR_TOKEN_TTL_SECONDS}): the sign-in has to outlive the tokens it issues`,
    ]);
  }
  if (e.SIDECAR_WORKERS > 1 && !e.SIDECAR_DATABASE_URL) {
    throw new ConfigError([
      `SIDECAR_WORKERS=${e.SIDECAR_WORKERS} needs SIDECAR_DATABASE_URL: several server processes share one PostgreSQL database; on SQLite (the data directory) only one process may run`,
    ]);
  }
  if ((e.SIDECAR_SMTP_URL === undefined) !== (e.SIDECAR_SMTP_FROM === undefined)) {
    const missing = e.SIDECAR_SMTP_URL === undefined ? "SIDECAR_SMTP_URL" : "SIDECAR_SMTP_FROM";
    throw new ConfigError([
      `${missing} must be set too: sign-in codes are e-mailed only when both SIDECAR_SMTP_URL and SIDECAR_SMTP_FROM are set (neither = codes go to the server log)`,
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.SIDECAR_DATA_DIR),
    databaseUrl: e.SIDECAR_DATABASE_URL || null,
    databasePoolSize: e.SIDECAR_DATABASE_POOL_SIZE,
    workers: e.SIDECAR_WORKERS,
    apiKey: e.SIDECAR_API_KEY ?? null,
    tokenTtlSeconds: e.SIDECAR_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: e.SIDECAR_REFRESH_TTL_SECONDS,
    demoPassword: e.SIDECAR_DEMO_PASSWORD,
    // "auto": only on a loopback address, where nobody else can reach it.
    demoAccount: e.SIDECAR_DEMO_ACCOUNT === "yes" || (e.SIDECAR_DEMO_ACCOUNT === "auto" && isLoopbackHost(e.HOST)),
    maxUploadBytes: e.SIDECAR_MAX_UPLOAD_BYTES,
    maxUnpackedBytes: e.SIDECAR_MAX_UNPACKED_BYTES,
    maxZipEntries: e.SIDECAR_MAX_ZIP_ENTRIES,
    staticDir: path.resolve(cwd, e.SIDECAR_STATIC_DIR),
    allowedOrigins: e.SIDECAR_ALLOWED_ORIGINS,
    allowedHosts: e.SIDECAR_ALLOWED_HOSTS,
    logLevel: e.LOG_LEVEL,
    generationConcurrency: e.SIDECAR_GENERATION_CONCURRENCY,
    generationMaxAttempts: e.SIDECAR_GENERATION_MAX_ATTEMPTS,
    jobs: { leaseSeconds: e.SIDECAR_JOB_LEASE_SECONDS, maintenanceSeconds: e.SIDECAR_JOB_MAINTENANCE_SECONDS, pollingSeconds: e.SIDECAR_JOB_POLL_SECONDS },
    pipelineStepDelayMs: e.SIDECAR_PIPELINE_STEP_DELAY_MS,
    presignTtlSeconds: e.SIDECAR_PRESIGN_TTL_SECONDS,
    publicUrl: e.SIDECAR_PUBLIC_URL ?? null,
    chatDeltaDelayMs: e.SIDECAR_CHAT_DELTA_DELAY_MS,
    llm: e.SIDECAR_LLM_BASE_URL
      ? { baseUrl: e.SIDECAR_LLM_BASE_URL, apiKey: e.SIDECAR_LLM_API_KEY ?? null, model: e.SIDECAR_LLM_MODEL }
      : null,
    llmTimeoutMs: e.SIDECAR_LLM_TIMEOUT_MS,
    docxWorkers: e.SIDECAR_DOCX_WORKERS,
    batchDocumentDelayMs: e.SIDECAR_BATCH_DOCUMENT_DELAY_MS,
    batchKeepaliveMs: e.SIDECAR_BATCH_KEEPALIVE_MS,
    batchDocumentTimeoutMs: e.SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS,
    blockedTerms: e.SIDECAR_BLOCKED_TERMS,
    indexingDelayMs: e.SIDECAR_INDEXING_DELAY_MS,
    tempSweepMs: e.SIDECAR_TEMP_SWEEP_MS,
    services: e.SIDECAR_SERVICES,
    loginMethods: e.SIDECAR_LOGIN_METHODS,
    smtp: e.SIDECAR_SMTP_URL && e.SIDECAR_SMTP_FROM ? { url: e.SIDECAR_SMTP_URL, from: e.SIDECAR_SMTP_FROM } : null,
    signIn: {
      maxFailures: e.SIDECAR_SIGN_IN_MAX_FAILURES,
      maxFailuresPerAddress: e.SIDECAR_SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: e.SIDECAR_SIGN_IN_WINDOW_SECONDS,
      lockoutSeconds: e.SIDECAR_SIGN_IN_LOCKOUT_SECONDS,
    },
    passwordHashConcurrency: e.SIDECAR_PASSWORD_HASH_CONCURRENCY,
    maxQueuedGenerations: e.SIDECAR_MAX_QUEUED_GENERATIONS,
    maxQueuedBatches: e.SIDECAR_MAX_QUEUED_BATCHES,
  };
}

