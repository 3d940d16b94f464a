// The local server's agents, built in (like the built-in templates): both answer from the
// person's documents — the ones the pane grounds the chat on, or else the organization's newest.
import type { Agent } from "../../../shared/wire/chat";
import { HttpError } from "../../errors";

export type AnswerStyle = "summary" | "draft";

const BUILT_IN_AT = "2026-01-01T00:00:00.000Z";

function builtIn(
  id: number,
  fields: Pick<Agent, "agent_name" | "alias" | "description" | "prefix_prompt" | "sample_q1" | "sample_q2" | "sample_q3" | "sample_q4" | "tags">,
): Agent {
  return {
    id,
    ...fields,
    access: "public",
    status: "active",
    is_active: true,
    is_deleted: false,
    conversation_starter_enabled: true,
    pattern: { id: 1, name: "Retrieval", description: "Answers from passages retrieved from your documents." },
    connected_tool_names: ["document_search"],
    created_by: "System",
    created_on: BUILT_IN_AT,
    modified_on: BUILT_IN_AT,
  };
}

export const BUILT_IN_AGENTS: readonly Agent[] = [
  builtIn(1, {
    agent_name: "Document assistant",
    alias: "document-assistant",
    description: "Answers questions about your documents, citing the passages it used.",
    prefix_prompt:
      "You answer questions about the user's documents. Use only the numbered passages given; cite each fact with its passage number in square brackets, like [1]. If the passages don't answer the question, say so.",
    sample_q1: "Summarise this document",
    sample_q2: "What are the key findings?",
    sample_q3: "Which sources support the conclusions?",
    sample_q4: "What recommendations does it make?",
    tags: ["documents", "questions"],
  }),
  builtIn(2, {
    agent_name: "Drafting assistant",
    alias: "drafting-assistant",
    description: "Helps draft and reword text, drawing on your grounding documents.",
    prefix_prompt:
      "You help the user draft and reword text for a Word document. Ground what you write in the numbered passages given and cite them with their number in square brackets, like [1]. Write clear, plain prose.",
    sample_q1: "Draft an introduction for this report",
    sample_q2: "Reword the selected text more concisely",
    sample_q3: "Write a short conclusion based on the findings",
    sample_q4: "Suggest a clearer title for this section",
    tags: ["drafting", "writing"],
  }),
];

export function styleOf(agent: Agent): AnswerStyle {
  return agent.id === 2 ? "draft" : "summary";
}

export class AgentService {
  list(): Agent[] {
    return [...BUILT_IN_AGENTS];
  }

  /** The agent with this id (as in the path); 404 when there is none. */
  get(rawId: string | number): Agent {
    const id = typeof rawId === "number" ? rawId : /^\d{1,9}$/.test(rawId) ? Number(rawId) : NaN;
    const agent = BUILT_IN_AGENTS.find((candidate) => candidate.id === id);
    if (!agent) {
      throw new HttpError(404, `There is no agent with the id "${String(rawId)}". Pick an agent from the agents list.`);
    }
    return agent;
  }
}
