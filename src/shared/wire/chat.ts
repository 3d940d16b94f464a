// The chat bodies (docs/api.md "Chat"; docs/vendors.md, Ejento A3–A5): agents, the question
// (streamed and not), the streamed events, threads, their turns and feedback, in Ejento's envelope.
// The server validates requests with these schemas (a failure is a 422 naming the field, in the
// envelope); the pane imports the types only. Paths are in ../contract/endpoints.ts.
import { z } from "zod";
import { envelope } from "./auth";
import { optionalText, pathParams, trimmedText } from "./fields";

export const MAX_QUESTION_CHARS = 8000;
/** Documents one question may be grounded on (overrides.document_ids), at most. */
export const MAX_GROUNDING_DOCUMENTS = 50;

/** An error in Ejento's envelope (src/shared/wire/auth.ts): `success: false` and words. */
export const ejentoError = envelope(z.null());
export type EjentoError = z.infer<typeof ejentoError>;

// ---- paths -------------------------------------------------------------------------------------

export const agentIdParams = pathParams("agent_id");
export const threadIdParams = pathParams("thread_id");
export const agentResponseIdParams = pathParams("agent_response_id");

/**
 * Ejento's ids are whole numbers; its clients send them as numbers or as strings of digits
 * ("12" or 12). Parses to the number.
 */
export const wholeNumberId = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .trim()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .refine((id) => id > 0),
]);

// ---- agents (docs/vendors.md, Ejento A3.1) -----------------------------------------------------

export const agent = z.object({
  id: z.number(),
  agent_name: z.string(),
  alias: z.string(),
  description: z.string(),
  access: z.string(),
  status: z.string(),
  is_active: z.boolean(),
  is_deleted: z.boolean(),
  prefix_prompt: z.string(),
  /** The conversation starters. */
  sample_q1: z.string(),
  sample_q2: z.string(),
  sample_q3: z.string(),
  sample_q4: z.string(),
  conversation_starter_enabled: z.boolean(),
  pattern: z.object({ id: z.number(), name: z.string(), description: z.string() }),
  connected_tool_names: z.array(z.string()),
  tags: z.array(z.string()),
  created_by: z.string(),
  created_on: z.string(),
  modified_on: z.string(),
});
export type Agent = z.infer<typeof agent>;

/** GET /api/v2/agents (a vendor may page them in `data.items`) and GET /api/v2/agents/{agent_id}. */
export const agentListResponse = envelope(z.array(agent));
export type AgentListResponse = z.infer<typeof agentListResponse>;
export const agentResponse = envelope(agent);
export type AgentResponse = z.infer<typeof agentResponse>;

// ---- a question (docs/vendors.md, Ejento A5.2) -------------------------------------------------

/** A completed earlier turn of the conversation. */
export const historyTurn = z.object({ user: z.string(), bot: z.string() });
export type HistoryTurn = z.infer<typeof historyTurn>;

/**
 * POST /response-service/api/v2/agents/{agent_id}/responses(/stream). `chat_thread_id` null (or
 * "") starts a new thread. `overrides.document_ids` (the documents to ground on) and
 * `overrides.selected_text` are the local server's extensions; Ejento's other override keys are
 * accepted and not used.
 */
export const askRequest = z.object(
  {
    user_query: trimmedText("is required (the question; it may not be empty)").max(MAX_QUESTION_CHARS, {
      message: `is too long: ask in at most ${MAX_QUESTION_CHARS} characters`,
    }),
    chat_thread_id: z
      .union([wholeNumberId, z.literal(""), z.null()], { error: "must be a thread id (a whole number) or null for a new thread" })
      .optional()
      .transform((id) => (typeof id === "number" ? id : null)),
    query_source: z.string().optional(),
    caching_enabled: z.boolean().optional(),
    is_file_attached: z.boolean().optional(),
    history: z.array(historyTurn, { error: "must be a list of earlier turns ({user, bot})" }).nullish(),
    overrides: z
      .object(
        {
          suggest_followup_questions: z.boolean().optional(),
          log_intermediate_response: z.boolean().optional(),
          retrieve_data_points: z.boolean().optional(),
          document_ids: z
            .array(z.union([z.string(), z.number()]), { error: "must be a list of document ids" })
            .max(MAX_GROUNDING_DOCUMENTS, { message: `lists more than ${MAX_GROUNDING_DOCUMENTS} documents: ground the chat on fewer` })
            .nullish()
            .transform((ids) => (ids == null ? null : ids.map(String))),
          selected_text: optionalText(),
          /** Ejento: retrieve only from these corpora (docs/vendors.md, Ejento A5.2, A6). */
          corpus_ids: z
            .array(wholeNumberId, { error: "must be a list of corpus ids (whole numbers)" })
            .max(MAX_GROUNDING_DOCUMENTS, { message: `lists more than ${MAX_GROUNDING_DOCUMENTS} corpora` })
            .nullish(),
        },
        { error: "must be an object" },
      )
      .nullish(),
  },
  { error: 'Send a JSON object {"user_query": "...", "chat_thread_id": null, "overrides": {"document_ids": ["..."], "selected_text": "..."}}.' },
);
/** What a client sends. */
export type AskRequest = z.input<typeof askRequest>;
/** What the server's routes receive: ids parsed, document ids as strings. */
export type ParsedAskRequest = z.output<typeof askRequest>;

/** A cited passage: Ejento sends number, order, url; the local server adds the rest. */
export const reference = z.object({
  number: z.number(),
  order: z.number(),
  url: z.string(),
  /** Local server: the document's name (and the section's title). */
  title: z.string().optional(),
  /** Local server: the Sidecar document the passage comes from… */
  document_id: z.string().optional(),
  /** …and its section, when the passage is in one (the Sources panel can show it). */
  section_id: z.string().optional(),
  /** Local server: the cited passage itself (a citation shows it, with "Show in context")… */
  document_name: z.string().optional(),
  section_title: z.string().optional(),
  passage_id: z.string().optional(),
  text: z.string().optional(),
  /** …and where its document is stored (to open it). */
  s3_key: z.string().optional(),
});
export type Reference = z.infer<typeof reference>;

/** The answer: the data of the non-streaming route, and the `output` of the stream's `end` event. */
export const answer = z.object({
  answer: z.string(),
  references: z.array(reference),
  followup_questions: z.array(z.string()),
  thread_id: z.number(),
  chat_thread_name: z.string(),
  agent_response_id: z.number(),
  /** Older Ejento clients used this as the answer's id (Quickstart-Template); the same number. */
  chatlog_id: z.number(),
  /** The agent's guardrail stopped the question: `answer` then holds the guardrail's words. */
  guardrail_triggered: z.boolean(),
  blocked: z.boolean(),
});
export type Answer = z.infer<typeof answer>;

/** The non-streaming answer; the guardrail outcome is also at the envelope's top level, where the Quickstart reads it. */
export const answerResponse = envelope(answer).extend({ guardrail_triggered: z.boolean(), blocked: z.boolean() });
export type AnswerResponse = z.infer<typeof answerResponse>;

/** One Server-Sent Event of the stream (docs/vendors.md, Ejento A5.5): one JSON per `data:` line, told apart by `step`. */
export const chatEvent = z.discriminatedUnion("step", [
  z.object({ step: z.literal("status"), message: z.string() }),
  z.object({ step: z.literal("tools_stream"), delta: z.string(), message: z.string() }),
  z.object({ step: z.literal("assistant_stream"), delta: z.string(), message: z.string() }),
  z.object({ step: z.literal("end"), success: z.literal(true), message: z.string(), output: answer }),
  z.object({
    step: z.literal("error"),
    success: z.literal(false),
    message: z.string(),
    output: z.object({ error: z.object({ details: z.string() }), blocked: z.boolean() }),
  }),
]);
export type ChatEvent = z.infer<typeof chatEvent>;

// ---- threads (docs/vendors.md, Ejento A4; Quickstart-Template src/model.ts ChatThreadResponse) --

/** A thread as Ejento answers it. `query_source` is the client that started it (it filters the list). */
export const chatThread = z.object({
  id: z.number(),
  title: z.string(),
  agent: z.number(),
  user: z.string(),
  corpus_id: z.number().nullable(),
  chat_id: z.number().nullable(),
  query_source: z.string().nullable(),
  created_by: z.string(),
  created_on: z.string(),
  modified_by: z.string(),
  modified_on: z.string(),
  is_deleted: z.boolean(),
});
export type ChatThread = z.infer<typeof chatThread>;

/** GET /api/v2/agents/{agent_id}/chat-threads?query_source=…: newest (most recently used) first. */
export const chatThreadListResponse = envelope(z.object({ chat_threads: z.array(chatThread) }));
export type ChatThreadListResponse = z.infer<typeof chatThreadListResponse>;

export const chatThreadQuery = z.object({ query_source: z.string().trim().max(100).optional() });

export const MAX_THREAD_TITLE_CHARS = 200;

/** POST /api/v2/agents/{agent_id}/chat-threads: Ejento's clients send `{agent, created_by}` or `{}`. */
export const createThreadRequest = z
  .object(
    {
      agent: z.union([z.number(), z.string()]).optional(),
      created_by: z.string().optional(),
      title: z.string().trim().max(MAX_THREAD_TITLE_CHARS).optional(),
      query_source: z.string().trim().max(100).optional(),
    },
    { error: 'Send a JSON object such as {"agent": 1, "created_by": "you@example.com"} (or {}).' },
  )
  .nullish();
export type CreateThreadRequest = z.input<typeof createThreadRequest>;

/** The answer of create and rename: the thread. */
export const chatThreadResponse = envelope(chatThread);
export type ChatThreadResponse = z.infer<typeof chatThreadResponse>;

/** PUT /api/v2/chat-threads/{thread_id} */
export const renameThreadRequest = z.object(
  {
    title: trimmedText("is required (the conversation's new title; it may not be empty)").max(MAX_THREAD_TITLE_CHARS, {
      message: `is too long: at most ${MAX_THREAD_TITLE_CHARS} characters`,
    }),
  },
  { error: 'Send a JSON object {"title": "..."}.' },
);
export type RenameThreadRequest = z.input<typeof renameThreadRequest>;

/** DELETE of a thread, an agent response or corpus documents: the envelope with no data. */
export const emptyResponse = envelope(z.null());
export type EmptyResponse = z.infer<typeof emptyResponse>;

// ---- history (docs/vendors.md, Ejento A4.3; Quickstart-Template chat.tsx reads it) --------------

export const vote = z.enum(["upvote", "downvote"]);
export type Vote = z.infer<typeof vote>;

/** What a past answer was: `success` false carries the failure in `message`. */
export const storedAnswer = z.object({
  success: z.boolean(),
  answer: z.string(),
  message: z.string(),
  references: z.array(reference),
  followup_questions: z.array(z.string()),
  guardrail_triggered: z.boolean(),
  blocked: z.boolean(),
  thread_name: z.string(),
  agent_response_id: z.number(),
  id: z.number(),
});
export type StoredAnswer = z.infer<typeof storedAnswer>;

export const feedbackEntry = z.object({
  id: z.number(),
  is_upvote: z.boolean(),
  is_downvote: z.boolean(),
  created_by: z.string(),
  created_on: z.string(),
});

/** One turn of GET /api/v2/chat-threads/{thread_id}/agent-responses, oldest first. */
export const agentResponseItem = z.object({
  id: z.number(),
  question: z.string(),
  query_source: z.string().nullable(),
  thread: z.number(),
  user: z.string(),
  created_by: z.string(),
  created_on: z.string(),
  is_cleared: z.boolean(),
  stage: z.null(),
  response: storedAnswer,
  /** The person's vote: one entry, or none. */
  feedback: z.array(feedbackEntry),
  comments: z.array(z.unknown()),
});
export type AgentResponseItem = z.infer<typeof agentResponseItem>;

export const agentResponseListResponse = envelope(z.object({ agent_responses: z.array(agentResponseItem) }));
export type AgentResponseListResponse = z.infer<typeof agentResponseListResponse>;

// ---- feedback (docs/vendors.md, Ejento A5.7) ---------------------------------------------------

/** POST /api/v2/agent-responses/{agent_response_id}/feedbacks */
export const feedbackRequest = z.object(
  { vote_type: z.enum(vote.options, { error: 'must be "upvote" or "downvote"' }) },
  { error: 'Send a JSON object {"vote_type": "upvote"}.' },
);
export type FeedbackRequest = z.infer<typeof feedbackRequest>;

export const feedbackResponse = envelope(z.object({ id: z.number() }));
export type FeedbackResponse = z.infer<typeof feedbackResponse>;

// ---- corpora and their documents (docs/vendors.md, Ejento A6) ----------------------------------

export const corpusIdParams = pathParams("corpus_id");
export const corpusDocumentIdParams = pathParams("document_id");
export const threadCorpusParams = z.object({ thread_id: z.string(), corpus_id: z.string() });
export const citationParams = pathParams("name");

export const MAX_CORPUS_NAME_CHARS = 200;

/** POST /api/v2/corpora */
export const createCorpusRequest = z.object(
  {
    name: trimmedText("is required (the corpus's name)").max(MAX_CORPUS_NAME_CHARS, {
      message: `is too long: at most ${MAX_CORPUS_NAME_CHARS} characters`,
    }),
    description: z.string().max(2000).optional(),
    indexing_mode_id: z.number().int().optional(),
    corpus_type: z.string().max(50).optional(),
  },
  { error: 'Send a JSON object {"name": "...", "corpus_type": "attachment"}.' },
);
export type CreateCorpusRequest = z.input<typeof createCorpusRequest>;

export const corpus = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  corpus_type: z.string(),
  indexing_mode_id: z.number().nullable(),
  created_by: z.string(),
  created_on: z.string(),
  modified_on: z.string(),
});
export type Corpus = z.infer<typeof corpus>;
export const corpusResponse = envelope(corpus);
export type CorpusResponse = z.infer<typeof corpusResponse>;

/**
 * Where a document is in indexing: `uploaded` (waiting or being read), then `completed`; it
 * failed when `is_failed` (the local server then says why in `error`, our extension).
 */
export const corpusDocumentStep = z.enum(["uploaded", "processing", "completed"]);
export type CorpusDocumentStep = z.infer<typeof corpusDocumentStep>;

/** A document of a corpus (GET /api/v2/documents/{document_id}, and each of a corpus's documents). */
export const corpusDocument = z.object({
  id: z.number(),
  corpus: z.number(),
  type: z.literal("file"),
  /** The file's name. */
  source: z.string(),
  upload_from: z.string(),
  step: corpusDocumentStep,
  is_failed: z.boolean(),
  is_deleted: z.boolean(),
  /** Local server: why indexing failed. */
  error: z.string().nullable(),
  created_by: z.string(),
  created_on: z.string(),
  modified_on: z.string(),
});
export type CorpusDocument = z.infer<typeof corpusDocument>;
export const corpusDocumentResponse = envelope(corpusDocument);
export type CorpusDocumentResponse = z.infer<typeof corpusDocumentResponse>;
export const corpusDocumentListResponse = envelope(z.object({ documents: z.array(corpusDocument) }));
export type CorpusDocumentListResponse = z.infer<typeof corpusDocumentListResponse>;

/**
 * The multipart fields of an upload into a corpus (besides the file, sent as `source`):
 * Ejento's clients send all four (docs/vendors.md, Ejento A6).
 */
export const corpusUploadFields = z.object({
  user_id: z.string().optional(),
  content_type: z.string().optional(),
  upload_from: z.string().optional(),
  attachment: z.string().optional(),
});
export type CorpusUploadFields = z.infer<typeof corpusUploadFields>;
/** The multipart field that carries the file (kept in the endpoint table, which the pane may import). */
export { CORPUS_UPLOAD_FILE_FIELD } from "../contract/endpoints";

/** POST /api/v2/chat-threads/{thread_id}/corpora/{corpus_id} (linking twice is not an error). */
export const threadCorpusLink = z.object({ chat_thread: z.number(), corpus: z.number() });
export const threadCorpusLinkResponse = envelope(threadCorpusLink);
export type ThreadCorpusLinkResponse = z.infer<typeof threadCorpusLinkResponse>;

/** GET /api/v2/chat-threads/{thread_id}/corpora: 404 when none (as Ejento). */
export const threadCorporaResponse = envelope(z.object({ corpora: z.array(corpus) }));
export type ThreadCorporaResponse = z.infer<typeof threadCorporaResponse>;
