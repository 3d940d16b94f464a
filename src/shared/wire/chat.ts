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
  guardrail_triggered: z.boolean(),
  blocked: z.boolean(),
});
export type Answer = z.infer<typeof answer>;

export const answerResponse = envelope(answer);
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

// ---- threads and feedback (docs/vendors.md, Ejento A4, A5.7) -----------------------------------

/** One entry of GET /api/v2/agents/{agent_id}/chat-threads, newest first. */
export const chatThread = z.object({
  id: z.number(),
  chat_thread_name: z.string(),
  title: z.string(),
  agent: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ChatThread = z.infer<typeof chatThread>;

export const chatThreadListResponse = envelope(z.array(chatThread));
export type ChatThreadListResponse = z.infer<typeof chatThreadListResponse>;

/** One turn of GET /api/v2/chat-threads/{thread_id}/agent-responses, oldest first. */
export const threadTurn = z.object({
  id: z.number(),
  agent_response_id: z.number(),
  thread: z.number(),
  user_query: z.string(),
  answer: z.string(),
  references: z.array(reference),
  followup_questions: z.array(z.string()),
  /** The person's vote, null when none. */
  feedback: z.enum(["upvote", "downvote"]).nullable(),
  created_at: z.string(),
});
export type ThreadTurn = z.infer<typeof threadTurn>;

export const threadTurnListResponse = envelope(z.array(threadTurn));
export type ThreadTurnListResponse = z.infer<typeof threadTurnListResponse>;

export const vote = z.enum(["upvote", "downvote"]);
export type Vote = z.infer<typeof vote>;

/** POST /api/v2/agent-responses/{agent_response_id}/feedbacks */
export const feedbackRequest = z.object(
  { vote_type: z.enum(vote.options, { error: 'must be "upvote" or "downvote"' }) },
  { error: 'Send a JSON object {"vote_type": "upvote"}.' },
);
export type FeedbackRequest = z.infer<typeof feedbackRequest>;

export const feedbackResponse = envelope(z.object({ id: z.number() }));
export type FeedbackResponse = z.infer<typeof feedbackResponse>;
