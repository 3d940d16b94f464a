// Chat: threads (one person's conversation with one agent) and their turns (agent responses).
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export interface ChatThreadRow {
  id: number;
  organization_id: string;
  user_id: string;
  agent_id: number;
  name: string;
  created_at: string;
  updated_at: string;
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
}

export interface NewTurn {
  /** An existing thread, or null to create one named `threadName`. */
  threadId: number | null;
  threadName: string;
  organizationId: string;
  userId: string;
  agentId: number;
  userQuery: string;
  answer: string;
  references: unknown[];
  followups: string[];
}

export class ChatStore {
  constructor(private readonly db: Database.Database) {}

  getThread(id: number): ChatThreadRow | undefined {
    return this.db.prepare("SELECT * FROM chat_threads WHERE id = ?").get(id) as ChatThreadRow | undefined;
  }

  /** One person's threads with one agent, most recently used first. */
  listThreads(userId: string, agentId: number): ChatThreadRow[] {
    return this.db
      .prepare("SELECT * FROM chat_threads WHERE user_id = ? AND agent_id = ? ORDER BY updated_at DESC, id DESC")
      .all(userId, agentId) as ChatThreadRow[];
  }

  /** A thread's turns, oldest first. */
  listResponses(threadId: number): AgentResponseRow[] {
    return this.db.prepare("SELECT * FROM agent_responses WHERE thread_id = ? ORDER BY id").all(threadId) as AgentResponseRow[];
  }

  getResponse(id: number): AgentResponseRow | undefined {
    return this.db.prepare("SELECT * FROM agent_responses WHERE id = ?").get(id) as AgentResponseRow | undefined;
  }

  /** Stores a complete turn (creating its thread when needed), in one transaction. */
  addTurn(turn: NewTurn): { thread: ChatThreadRow; responseId: number } {
    return this.db.transaction(() => {
      const now = nowIso();
      let threadId = turn.threadId;
      if (threadId === null) {
        const result = this.db
          .prepare(
            `INSERT INTO chat_threads (organization_id, user_id, agent_id, name, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(turn.organizationId, turn.userId, turn.agentId, turn.threadName, now, now);
        threadId = Number(result.lastInsertRowid);
      } else {
        this.db.prepare("UPDATE chat_threads SET updated_at = ? WHERE id = ?").run(now, threadId);
      }
      const inserted = this.db
        .prepare(
          `INSERT INTO agent_responses (thread_id, user_id, user_query, answer, references_json, followups_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(threadId, turn.userId, turn.userQuery, turn.answer, JSON.stringify(turn.references), JSON.stringify(turn.followups), now);
      return { thread: this.getThread(threadId) as ChatThreadRow, responseId: Number(inserted.lastInsertRowid) };
    })();
  }

  setVote(responseId: number, vote: "upvote" | "downvote"): void {
    this.db.prepare("UPDATE agent_responses SET vote = ?, voted_at = ? WHERE id = ?").run(vote, nowIso(), responseId);
  }
}
