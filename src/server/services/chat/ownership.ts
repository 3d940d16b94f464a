// What a caller may touch in chat: their own threads, answers and corpora. Anything else (another
// person's, another organization's, unknown, or an id that is not a whole number) is 404 — the
// same answer, so ids reveal nothing about other people's conversations.
import { wholeNumberId } from "../../../shared/wire/chat";
import { HttpError } from "../../errors";
import type { AgentResponseRow, ChatThreadRow } from "../../storage/chat-store";
import type { CorpusDocumentRow, CorpusRow } from "../../storage/corpus-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";

/** A whole-number id from a path ("12") or a body (12); null when it isn't one. */
export function parseId(raw: string | number): number | null {
  const parsed = wholeNumberId.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export async function ownThread(storage: Storage, caller: Caller, rawId: string | number): Promise<ChatThreadRow> {
  const id = parseId(rawId);
  const thread = id === null ? undefined : await storage.chat.getThread(id);
  if (!thread || thread.user_id !== caller.userId) {
    throw new HttpError(404, `There is no chat thread ${JSON.stringify(String(rawId))} of yours. Pick one from your conversations, or start a new one.`);
  }
  return thread;
}

export async function ownResponse(storage: Storage, caller: Caller, rawId: string | number): Promise<AgentResponseRow> {
  const id = parseId(rawId);
  const response = id === null ? undefined : await storage.chat.getResponse(id);
  if (!response || response.user_id !== caller.userId) {
    throw new HttpError(404, `There is no answer with the id ${JSON.stringify(String(rawId))} of yours.`);
  }
  return response;
}

export async function ownCorpus(storage: Storage, caller: Caller, rawId: string | number): Promise<CorpusRow> {
  const id = parseId(rawId);
  const corpus = id === null ? undefined : await storage.corpora.get(id);
  if (!corpus || corpus.user_id !== caller.userId || corpus.organization_id !== caller.organizationId) {
    throw new HttpError(404, `There is no corpus ${JSON.stringify(String(rawId))} of yours. Create one (POST /api/v2/corpora) and use its id.`);
  }
  return corpus;
}

export async function ownCorpusDocument(storage: Storage, caller: Caller, rawId: string | number): Promise<CorpusDocumentRow> {
  const id = parseId(rawId);
  const document = id === null ? undefined : await storage.corpora.getDocument(id);
  const corpus = document ? await storage.corpora.get(document.corpus_id) : undefined;
  if (!document || !corpus || corpus.user_id !== caller.userId || corpus.organization_id !== caller.organizationId) {
    throw new HttpError(404, `There is no corpus document ${JSON.stringify(String(rawId))} of yours. Use the id its upload answered.`);
  }
  return document;
}
