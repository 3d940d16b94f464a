// Tags from the OpenAI-compatible model the chat uses (SIDECAR_LLM_*), when one is configured:
// the model is asked for JSON `{"tags": [...]}` and its tags are held to the same rules as the
// keyword tags (keywords.ts cleanTags). When it gives fewer usable tags than asked, the
// document's own keywords fill the rest, so a document still gets num_tags when its text allows.
import { completeChat, ModelCallError, type LlmConfig } from "../chat/llm";
import { cleanTags, tagKey } from "./keywords";

export interface ModelTagRequest {
  title: string;
  text: string;
  count: number;
  exclusionWords: readonly string[];
}

export function tagPrompt(request: ModelTagRequest): Array<{ role: "system" | "user"; content: string }> {
  const rules = [
    `You tag documents for search. Give exactly ${request.count} tags for the document below: the topics, names and terms that set it apart from other documents.`,
    "Each tag is a lowercase word or short phrase of at most three words. No duplicates, no generic words such as “document” or “report”.",
    request.exclusionWords.length > 0 ? `Never use these words, alone or inside a phrase: ${request.exclusionWords.join(", ")}.` : "",
    'Answer with JSON only, in this form: {"tags": ["first tag", "second tag"]}',
  ];
  return [
    { role: "system", content: rules.filter(Boolean).join("\n") },
    { role: "user", content: `Title: ${request.title}\n\nText:\n${request.text}` },
  ];
}

/** The tag list inside a model's answer: `{"tags": [...]}` or a bare array, possibly wrapped in prose or a code fence. */
export function parseTagAnswer(content: string): unknown[] | null {
  const candidates = [content.trim()];
  const object = content.slice(content.indexOf("{"), content.lastIndexOf("}") + 1);
  if (object) candidates.push(object);
  const array = content.slice(content.indexOf("["), content.lastIndexOf("]") + 1);
  if (array) candidates.push(array);
  for (const candidate of candidates) {
    try {
      const parsed = JSON.parse(candidate) as unknown;
      if (Array.isArray(parsed)) return parsed;
      if (parsed && typeof parsed === "object" && Array.isArray((parsed as { tags?: unknown }).tags)) return (parsed as { tags: unknown[] }).tags;
    } catch {
      // try the next reading
    }
  }
  return null;
}

export async function modelTags(
  llm: LlmConfig,
  request: ModelTagRequest,
  fallbackKeywords: () => string[],
  signal: AbortSignal,
): Promise<string[]> {
  const content = await completeChat(llm, tagPrompt(request), signal);
  const raw = parseTagAnswer(content);
  if (!raw) {
    throw new ModelCallError('The language model did not answer with the JSON list of tags it was asked for ({"tags": [...]}); no tags were saved. Try again.');
  }
  const options = { count: request.count, exclusionWords: request.exclusionWords };
  const tags = cleanTags(raw, options);
  if (tags.length === 0) {
    throw new ModelCallError("The language model proposed no usable tags (they were empty, too long, duplicates or excluded words); no tags were saved. Try again.");
  }
  if (tags.length < request.count) {
    const have = new Set(tags.map(tagKey));
    for (const keyword of fallbackKeywords()) {
      if (tags.length >= request.count) break;
      if (!have.has(tagKey(keyword))) {
        have.add(tagKey(keyword));
        tags.push(keyword);
      }
    }
  }
  return tags;
}
