import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { resetConversations } from "../../src/taskpane/features/chat/conversation";
import { SIDECAR_DOCUMENT_ID_PROPERTY } from "../../src/taskpane/office/document-host";
import { FakeHost } from "../support/fake-host";
import { renderPane, server as origin } from "../support/render-pane";

const api = setupServer();
const encoder = new TextEncoder();
let asked: Array<Record<string, unknown>> = [];
/** What the next answer streams: a list of events, and whether to close without `end`. */
let script: { events: unknown[]; cut?: boolean; pauseMs?: number } = { events: [] };

function sse(events: unknown[], options: { cut?: boolean; pauseMs?: number } = {}) {
  return new HttpResponse(
    new ReadableStream({
      async start(controller) {
        for (const e of events) {
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(e)}\n\n`));
          await delay(options.pauseMs ?? 2);
        }
        controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}

const end = (answer: string, extra: Record<string, unknown> = {}) => ({
  step: "end",
  success: true,
  output: { answer, references: [], followup_questions: [], thread_id: 42, chat_thread_name: "Chat", agent_response_id: 900 + asked.length, ...extra },
});

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  asked = [];
  api.use(
    http.get(`${origin}/api/v2/agents`, () =>
      HttpResponse.json({
        success: true,
        message: "",
        data: [{ id: 1, agent_name: "Document assistant", conversation_starter_enabled: true, sample_q1: "Summarise this document", sample_q2: "" }],
      }),
    ),
    http.post(`${origin}/response-service/api/v2/agents/1/responses/stream`, async ({ request }) => {
      asked.push((await request.json()) as Record<string, unknown>);
      return sse(script.events, script);
    }),
    http.get(`${origin}/api/v2/agents/1/chat-threads`, () => HttpResponse.json({ success: true, message: "", data: [] })),
    http.post(`${origin}/api/v2/agent-responses/:id/feedbacks`, () => HttpResponse.json({ success: true, message: "", data: { id: 1 } })),
    http.post(`${origin}/get-sections-for-document`, () => HttpResponse.json({ sections: [{ section_id: "s-1", section_title: "Findings", section_order: 1 }] })),
    http.post(`${origin}/get-sources-for-selected-text`, () => HttpResponse.json({ section_id: "s-1", section_title: "Findings", sources: [] })),
  );
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
  resetConversations();
});
afterAll(() => api.close());

function openChat(host = new FakeHost()) {
  localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }));
  localStorage.setItem("sidecar.tab", JSON.stringify("chat"));
  return renderPane(host);
}

test("a streamed answer with a citation, grounded in the open document; the citation opens its section in Sources", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.customProperties.set(SIDECAR_DOCUMENT_ID_PROPERTY, "doc-9");
  script = {
    events: [
      { step: "status", message: "Searching your documents" },
      { step: "assistant_stream", delta: "Obesity is **rising** " },
      { step: "assistant_stream", delta: "in Europe [1]." },
      end("Obesity is **rising** in Europe [1].", {
        references: [{ number: 1, order: 1, url: "", title: "Nutrition report", document_id: "doc-9", section_id: "s-1" }],
        followup_questions: ["Which countries?"],
      }),
    ],
  };
  openChat(host);
  const composer = await screen.findByLabelText(/ask the agent/i);
  await user.type(composer, "What is happening?{Enter}");
  const answer = await screen.findByRole("article", { name: "Answer" });
  await within(answer).findByRole("button", { name: "Which countries?" });
  expect(within(answer).getByTestId("answer-text")).toHaveTextContent("Obesity is rising in Europe [1].");
  expect(within(answer).getByText("rising").tagName).toBe("STRONG");
  expect(asked[0]).toMatchObject({ user_query: "What is happening?", chat_thread_id: null, overrides: { document_ids: ["doc-9"] } });
  // Thoughts are there, folded away.
  expect(within(answer).getByRole("button", { name: /Thoughts \(1\)/ })).toHaveAttribute("aria-expanded", "false");

  await user.click(within(answer).getByRole("link", { name: "Source 1" }));
  expect(await screen.findByRole("tab", { name: "Sources", selected: true })).toBeInTheDocument();
  expect(await screen.findByRole("combobox", { name: "Section" })).toHaveTextContent("Findings");
});

test("the next question continues the thread with the history; Shift+Enter adds a line instead of sending", async () => {
  const user = userEvent.setup();
  script = { events: [end("First answer.")] };
  openChat();
  const composer = await screen.findByLabelText(/ask the agent/i);
  await user.type(composer, "One{Enter}");
  await screen.findByText("First answer.");
  script = { events: [end("Second answer.")] };
  await user.type(composer, "Two{Shift>}{Enter}{/Shift}lines");
  expect(asked).toHaveLength(1);
  expect(composer).toHaveValue("Two\nlines");
  await user.keyboard("{Enter}");
  await screen.findByText("Second answer.");
  expect(asked[1]).toMatchObject({ user_query: "Two\nlines", chat_thread_id: 42, history: [{ user: "One", bot: "First answer." }] });
});

test("Stop (and Esc) keeps the partial answer", async () => {
  const user = userEvent.setup();
  script = { events: Array.from({ length: 200 }, (_, i) => ({ step: "assistant_stream", delta: `w${i} ` })), pauseMs: 20 };
  openChat();
  await user.type(await screen.findByLabelText(/ask the agent/i), "Long one{Enter}");
  const answer = await screen.findByRole("article", { name: "Answer" });
  await waitFor(() => expect(within(answer).getByTestId("answer-text")).toHaveTextContent("w2"));
  await user.keyboard("{Escape}");
  expect(await within(answer).findByText("Stopped.")).toBeInTheDocument();
  const partial = within(answer).getByTestId("answer-text").textContent ?? "";
  expect(partial).toMatch(/^w0 w1 w2/);
  expect(partial).not.toContain("w199");
  expect(screen.getByRole("button", { name: "Send" })).toBeInTheDocument();
});

test("a cut stream shows the partial answer as interrupted; Retry asks again in place without repeating the question", async () => {
  const user = userEvent.setup();
  script = { events: [{ step: "assistant_stream", delta: "Half an ans" }] };
  openChat();
  await user.type(await screen.findByLabelText(/ask the agent/i), "Cut me{Enter}");
  const answer = await screen.findByRole("article", { name: "Answer" });
  const alert = await within(answer).findByRole("alert");
  expect(alert).toHaveTextContent(/interrupted/i);
  expect(within(answer).getByTestId("answer-text")).toHaveTextContent("Half an ans");
  script = { events: [end("The whole answer.")] };
  await user.click(within(alert).getByRole("button", { name: "Retry" }));
  await screen.findByText("The whole answer.");
  expect(screen.getAllByLabelText("Your question")).toHaveLength(1);
  expect(screen.getAllByRole("article", { name: "Answer" })).toHaveLength(1);
  expect(asked[1]).toMatchObject({ user_query: "Cut me", caching_enabled: false });
});

test("HTML in an answer is shown as inert text", async () => {
  const user = userEvent.setup();
  const evil = 'Look <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> here';
  script = { events: [end(evil)] };
  openChat();
  await user.type(await screen.findByLabelText(/ask the agent/i), "Evil{Enter}");
  const text = await screen.findByTestId("answer-text");
  await waitFor(() => expect(text).toHaveTextContent("<img src=x onerror="));
  expect(text.querySelector("img, script")).toBeNull();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});

test("an answer goes into the document as formatting: insert at the cursor or replace the selection", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  script = { events: [end("## Plan\n\n- one\n- **two**")] };
  openChat(host);
  await user.type(await screen.findByLabelText(/ask the agent/i), "Plan{Enter}");
  const answer = await screen.findByRole("article", { name: "Answer" });
  await within(answer).findByRole("heading", { name: "Plan" });
  await user.click(within(answer).getByRole("button", { name: "Replace selection" }));
  await within(answer).findByText("Replaced the selection.");
  const inserted = host.insertedFormatted.at(-1)!;
  expect(inserted.mode).toBe("replace");
  expect(inserted.html).toContain("<h2>Plan</h2>");
  expect(inserted.html).toContain("<strong>two</strong>");
  expect(inserted.plainText).toBe("## Plan\n\n- one\n- **two**");
});

test("an inserted answer is its content followed by a reference list (document and section per number); Copy gives the same", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  const answer = "- **Costs:** Fees were paid in May [2].\n- **Risks:** Delays are likely [1], and costs may rise [2].";
  script = {
    events: [
      end(answer, {
        references: [
          { number: 1, order: 1, url: "", title: "report.docx — Risks", document_id: "d-1", section_id: "s-2" },
          { number: 2, order: 2, url: "", title: "report.docx — Costs & fees", document_id: "d-1", section_id: "s-1" },
          { number: 3, order: 3, url: "https://vendor.example/doc/7" },
        ],
      }),
    ],
  };
  openChat(host);
  await user.type(await screen.findByLabelText(/ask the agent/i), "What about costs?{Enter}");
  const view = await screen.findByRole("article", { name: "Answer" });
  await user.click(await within(view).findByRole("button", { name: "Insert at cursor" }));
  await within(view).findByText("Inserted at the cursor.");
  const inserted = host.insertedFormatted.at(-1)!;
  expect(inserted.mode).toBe("cursor");
  // The answer's content, then one line per cited number; [3] is not cited, so not listed.
  expect(inserted.plainText).toBe(`${answer}\n\nSources\n[1] report.docx — Risks\n[2] report.docx — Costs & fees`);
  expect(inserted.html).toContain("<strong>Costs:</strong>");
  expect(inserted.html).toMatch(/<p>\[1\] report\.docx — Risks<\/p><p>\[2\] report\.docx — Costs &amp; fees<\/p>$/);
  expect(inserted.html).not.toContain("vendor.example");

  const written: string[] = [];
  Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText: async (text: string) => void written.push(text) } });
  await user.click(within(view).getByRole("button", { name: "Copy" }));
  await within(view).findByText("Copied.");
  expect(written).toEqual([inserted.plainText]);
});

test("a 401 before the stream starts is refreshed once and the question is replayed", async () => {
  const user = userEvent.setup();
  let refreshes = 0;
  api.use(
    http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => {
      refreshes += 1;
      return HttpResponse.json({ access_token: "r2", ejento_access_token: "e2", token_type: "bearer", expires_in: 3600 });
    }),
    http.post(`${origin}/response-service/api/v2/agents/1/responses/stream`, async ({ request }) => {
      if (request.headers.get("authorization") !== "Bearer e2") return HttpResponse.json({ detail: "Not authenticated" }, { status: 401 });
      asked.push((await request.json()) as Record<string, unknown>);
      return sse([end("Fresh answer.")]);
    }),
  );
  openChat();
  await user.type(await screen.findByLabelText(/ask the agent/i), "Still signed in?{Enter}");
  await screen.findByText("Fresh answer.");
  expect(refreshes).toBe(1);
  expect(asked).toHaveLength(1);
  expect(screen.getAllByLabelText("Your question")).toHaveLength(1);
});

test("a past conversation can be reopened and continued", async () => {
  const user = userEvent.setup();
  api.use(
    http.get(`${origin}/api/v2/agents/1/chat-threads`, () =>
      HttpResponse.json({ success: true, message: "", data: [{ id: 77, chat_thread_name: "Budget questions", updated_at: "2026-11-20 10:00:00" }] }),
    ),
    http.get(`${origin}/api/v2/chat-threads/77/agent-responses`, () =>
      HttpResponse.json({ success: true, message: "", data: [{ id: 5, user_query: "How big is the budget?", answer: "Four million [1].", references: [] }] }),
    ),
  );
  script = { events: [end("It grew by ten per cent.")] };
  openChat();
  await user.click(await screen.findByRole("button", { name: "Past conversations" }));
  await user.click(await screen.findByRole("button", { name: "Budget questions" }));
  expect(await screen.findByText("How big is the budget?")).toBeInTheDocument();
  await user.type(screen.getByLabelText(/ask the agent/i), "And last year?{Enter}");
  await screen.findByText("It grew by ten per cent.");
  expect(asked[0]).toMatchObject({ chat_thread_id: 77, history: [{ user: "How big is the budget?", bot: "Four million [1]." }] });
});
