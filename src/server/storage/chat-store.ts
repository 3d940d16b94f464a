// Chat: threads (one person's conversation with one agent), their turns (agent responses) and
// the corpora linked to them. Rows come back with the owner's e-mail (the `created_by` of
// Ejento's shapes).
import type { Sql } from "./sql";
import { nowIso } from "./util";

/** The title a thread has until its first answer names it (unless it was created with one). */
export const NEW_THREAD_TITLE = "New Chat";

export interface ChatThreadRow {
  id: number;
  organization_id: string;
  user_id: string;
  agent_id: number;
  name: string;
  /** The client that started it (Ejento's query_source); null until known. */
  query_source: string | null;
  /** E-mail of who changed it last; null for threads older than this column. */
  modified_by: string | null;
  created_at: string;
  updated_at: string;
  /** The owner's e-mail (joined). */
  user_email: string;
  /** The corpus linked to it most recently, if any (joined). */
  corpus_id: number | null;
}

export interface AgentResponseRow {
  id: number;
  thread_id: number;
  user_id: string;
  user_query: string;
  answer: string;
  references_json: string;
  followups_json: string;
  vote: string | null;
  voted_at: string | null;
  created_at: string;
  query_source: string | null;
  success: number;
  message: string;
  guardrail_triggered: number;
  blocked: number;
  /** The owner's e-mail (joined). */
  user_email: string;
}

export interface NewThread {
  organizationId: string;
  userId: string;
  userEmail: string;
  agentId: number;
  title: string;
  querySource: string | null;
}

export interface NewTurn {
  /** An existing thread, or null to create one named `threadName`. */
  threadId: number | null;
  /** The name a new thread (or one still titled "New Chat") gets. */
  threadName: string;
  organizationId: string;
  userId: string;
  userEmail: string;
  agentId: number;
  querySource: string | null;
  userQuery: string;
  answer: string;
  message: string;
  references: unknown[];
  followups: string[];
  guardrailTriggered: boolean;
  blocked: boolean;
}

const THREAD_SELECT = `
  SELECT t.*, u.email AS user_email,
         (SELECT tc.corpus_id FROM thread_corpora tc WHERE tc.thread_id = t.id ORDER BY tc.linked_on DESC, tc.rowid DESC LIMIT 1) AS corpus_id
  FROM chat_threads t JOIN users u ON u.id = t.user_id`;

const RESPONSE_SELECT = "SELECT r.*, u.email AS user_email FROM agent_responses r JOIN users u ON u.id = r.user_id";

export class ChatStore {
  constructor(private readonly sql: Sql) {}

  async getThread(id: number): Promise<ChatThreadRow | undefined> {
    return this.sql.get<ChatThreadRow>(`${THREAD_SELECT} WHERE t.id = ?`, [id]);
  }

  /** One person's threads with one agent (only those started by `querySource` when given), most recently used first. */
  async listThreads(userId: string, agentId: number, querySource: string | null = null): Promise<ChatThreadRow[]> {
    if (querySource === null) {
      return this.sql.all<ChatThreadRow>(`${THREAD_SELECT} WHERE t.user_id = ? AND t.agent_id = ? ORDER BY t.updated_at DESC, t.id DESC`, [userId, agentId]);
    }
    return this.sql.all<ChatThreadRow>(
      `${THREAD_SELECT} WHERE t.user_id = ? AND t.agent_id = ? AND t.query_source = ? ORDER BY t.updated_at DESC, t.id DESC`,
      [userId, agentId, querySource],
    );
  }

  async createThread(thread: NewThread): Promise<ChatThreadRow> {
    const now = nowIso();
    return this.sql.transaction(async () => {
      const inserted = (await this.sql.get<{ id: number }>(
        `INSERT INTO chat_threads (organization_id, user_id, agent_id, name, query_source, modified_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [thread.organizationId, thread.userId, thread.agentId, thread.title, thread.querySource, thread.userEmail, now, now],
      )) as { id: number };
      return (await this.getThread(inserted.id)) as ChatThreadRow;
    });
  }

  async renameThread(id: number, title: string, modifiedBy: string): Promise<ChatThreadRow> {
    return this.sql.transaction(async () => {
      await this.sql.run("UPDATE chat_threads SET name = ?, modified_by = ?, updated_at = ? WHERE id = ?", [title, modifiedBy, nowIso(), id]);
      return (await this.getThread(id)) as ChatThreadRow;
    });
  }

  /** Removes a thread with its turns and its corpus links (the corpora stay). */
  async deleteThread(id: number): Promise<void> {
    await this.sql.run("DELETE FROM chat_threads WHERE id = ?", [id]);
  }

  /** A thread's turns, oldest first. */
  async listResponses(threadId: number): Promise<AgentResponseRow[]> {
    return this.sql.all<AgentResponseRow>(`${RESPONSE_SELECT} WHERE r.thread_id = ? ORDER BY r.id`, [threadId]);
  }

  async getResponse(id: number): Promise<AgentResponseRow | undefined> {
    return this.sql.get<AgentResponseRow>(`${RESPONSE_SELECT} WHERE r.id = ?`, [id]);
  }

  async deleteResponse(id: number): Promise<void> {
    await this.sql.run("DELETE FROM agent_responses WHERE id = ?", [id]);
  }

  /**
   * Stores a complete turn in one transaction: creates its thread when needed; a thread still
   * titled "New Chat" takes the turn's name, one with no query_source takes the turn's. Null
   * when the thread no longer exists (deleted while the answer was being written).
   */
  async addTurn(turn: NewTurn): Promise<{ thread: ChatThreadRow; responseId: number } | null> {
    return this.sql.transaction(async () => {
      const now = nowIso();
      let threadId = turn.threadId;
      if (threadId === null) {
        const thread = (await this.sql.get<{ id: number }>(
          `INSERT INTO chat_threads (organization_id, user_id, agent_id, name, query_source, modified_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          [turn.organizationId, turn.userId, turn.agentId, turn.threadName, turn.querySource, turn.userEmail, now, now],
        )) as { id: number };
        threadId = thread.id;
      } else {
        const updated = await this.sql.run(
          `UPDATE chat_threads
           SET updated_at = ?, modified_by = ?,
               name = CASE WHEN name = ? THEN ? ELSE name END,
               query_source = COALESCE(query_source, ?)
           WHERE id = ?`,
          [now, turn.userEmail, NEW_THREAD_TITLE, turn.threadName, turn.querySource, threadId],
        );
        if (updated.changes === 0) return null;
      }
      const inserted = (await this.sql.get<{ id: number }>(
        `INSERT INTO agent_responses (thread_id, user_id, user_query, answer, references_json, followups_json, created_at,
           query_source, success, message, guardrail_triggered, blocked)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
        [
          threadId,
          turn.userId,
          turn.userQuery,
          turn.answer,
          JSON.stringify(turn.references),
          JSON.stringify(turn.followups),
          now,
          turn.querySource,
          turn.message,
          turn.guardrailTriggered ? 1 : 0,
          turn.blocked ? 1 : 0,
        ],
      )) as { id: number };
      return { thread: (await this.getThread(threadId)) as ChatThreadRow, responseId: inserted.id };
    });
  }

  async setVote(responseId: number, vote: "upvote" | "downvote"): Promise<void> {
    await this.sql.run("UPDATE agent_responses SET vote = ?, voted_at = ? WHERE id = ?", [vote, nowIso(), responseId]);
  }
}
