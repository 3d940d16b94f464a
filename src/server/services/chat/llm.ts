// An optional OpenAI-compatible model for chat answers (SIDECAR_LLM_BASE_URL, _API_KEY, _MODEL):
// `${base}/chat/completions` with stream: true, the numbered passages in the system prompt, each
// content delta relayed as it arrives.
import { createParser } from "eventsource-parser";
import type { Agent } from "../../../shared/wire/chat";
import { HttpError } from "../../errors";
import type { Grounding } from "./grounding";

export interface LlmConfig {
  baseUrl: string;
  apiKey: string | null;
  model: string;
}

export interface ModelQuestion {
  agent: Agent;
  question: string;
  selectedText: string | null;
  history: Array<{ user: string; bot: string }>;
  grounding: Grounding;
}

const MODEL_UNAVAILABLE = "The language model did not answer. Try again; if it keeps happening, check the model settings of the server.";

/**
 * The instructions for rewording the selected text (a request to rewrite, with a selection): the
 * model answers with the new text only, so that the pane can offer it as a draft that replaces
 * the selection.
 */
export function rewritePrompt(input: Pick<ModelQuestion, "agent" | "selectedText">): string {
  return [
    input.agent.prefix_prompt,
    "Rewrite the user's selected text as they ask. Answer with the rewritten text only: no introduction, no quotation marks around it, no notes after it. Keep its meaning, its language and any citation marks like [1] where they belong. Keep paragraph breaks.",
    `The selected text:\n"""${input.selectedText ?? ""}"""`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

export function systemPrompt(input: ModelQuestion): string {
  const passages = input.grounding.passages
    .map((grounded) => `[${grounded.number}] ${grounded.passage.documentName}${grounded.sectionTitle ? ` — ${grounded.sectionTitle}` : ""}\n${grounded.passage.text}`)
    .join("\n\n");
  return [
    input.agent.prefix_prompt,
    "Answer only from these numbered passages. After each statement, cite the passage it comes from with its number in square brackets, like [1]. Use markdown when it helps (a short lead sentence and a bullet list). If the passages don't answer the question, say so plainly.",
    input.selectedText ? `The user has this text selected in their document:\n"""${input.selectedText}"""` : "",
    `Passages:\n\n${passages}`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

export async function streamModelAnswer(
  llm: LlmConfig,
  input: ModelQuestion,
  deliver: (delta: string) => Promise<void>,
  signal: AbortSignal,
  system = systemPrompt(input),
): Promise<void> {
  const messages = [
    { role: "system", content: system },
    ...input.history.flatMap((turn) => [
      { role: "user", content: turn.user },
      { role: "assistant", content: turn.bot },
    ]),
    { role: "user", content: input.question },
  ];
  let response: Response;
  try {
    response = await postChatCompletion(llm, { stream: true, messages }, "text/event-stream", signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HttpError(502, MODEL_UNAVAILABLE);
  }
  if (!response.ok || !response.body) throw new HttpError(502, `${MODEL_UNAVAILABLE} (It answered HTTP ${response.status}.)`);

  const pending: string[] = [];
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") {
        done = true;
        return;
      }
      try {
        const chunk = JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string | null } }> };
        const content = chunk.choices?.[0]?.delta?.content;
        if (typeof content === "string" && content) pending.push(content);
      } catch {
        // Not JSON (a comment or keep-alive): nothing to relay.
      }
    },
  });
  const decoder = new TextDecoder();
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (pending.length > 0) await deliver(pending.shift() as string);
    if (done || signal.aborted) break;
  }
}

/** POST {baseUrl}/chat/completions with the configured model and key; callers turn failures into their own words. */
function postChatCompletion(llm: LlmConfig, body: Record<string, unknown>, accept: string, signal: AbortSignal): Promise<Response> {
  return fetch(`${llm.baseUrl}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept,
      ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}),
    },
    body: JSON.stringify({ model: llm.model, ...body }),
    signal,
  });
}

/** Why a non-streaming model call gave no answer, in words for the person who asked. */
export class ModelCallError extends Error {
  override name = "ModelCallError";
}

/**
 * One non-streaming chat completion (`stream: false`, temperature 0): the first choice's message
 * content. Throws ModelCallError when the model can't be reached, answers an HTTP error, or sends
 * no content; an abort through `signal` is rethrown as it is.
 */
export async function completeChat(
  llm: LlmConfig,
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>,
  signal: AbortSignal,
): Promise<string> {
  let response: Response;
  try {
    response = await postChatCompletion(llm, { stream: false, temperature: 0, messages }, "application/json", signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ModelCallError(`The language model could not be reached at ${llm.baseUrl}. Check that it is running and SIDECAR_LLM_BASE_URL, then try again.`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ModelCallError(`The language model answered HTTP ${response.status} instead of an answer. Try again; if it keeps happening, check the model settings of the server.`);
  }
  let body: { choices?: Array<{ message?: { content?: unknown } }> };
  try {
    body = (await response.json()) as typeof body;
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ModelCallError("The language model's answer was not JSON in the OpenAI chat-completions format. Check SIDECAR_LLM_BASE_URL.");
  }
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content !== "string" || !content.trim()) {
    throw new ModelCallError("The language model sent an empty answer. Try again; if it keeps happening, check the model settings of the server.");
  }
  return content;
}
