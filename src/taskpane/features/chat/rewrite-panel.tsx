// Rewrite the selection with drafts: the person selects text in the document, chooses how
// (shorter, more formal, plain language, or their own words) and gets drafts from the drafting
// agent (an agent named for drafting when there is one, else the chat's),
// "draft 1 of N", with Regenerate, back and forward, Stop (or Esc) while one is being written, then Keep
// (which puts the draft in place of the text that was selected, as a suggestion in Word) or
// Discard. The selected text is remembered when the first draft is asked for: Keep finds that text
// again, so a cursor moved meanwhile doesn't send the draft elsewhere, and when the text changed
// since, Keep says so and replaces nothing. The drafts come from a conversation of their own
// (a request to reword, with the selection: docs/api.md "Chat"), deleted on Keep or Discard.
// Rewording needs a model: a server that says it answers with extracts gets no Rewrite at all.
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ChevronLeftRegular, ChevronRightRegular } from "@fluentui/react-icons";
import { useEffect, useRef, useState } from "react";
import { useApiClient } from "../../api/api-context";
import { ApiError, isApiError } from "../../api/api-error";
import { t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { squeeze } from "../../../shared/text";
import { useCapabilities } from "./api/capabilities";
import { useAgents } from "./api/get-agents";
import { streamAnswer } from "./api/stream-answer";
import { deleteThread } from "./api/threads";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  draft: {
    whiteSpace: "pre-wrap",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground2,
    maxHeight: "240px",
    overflowY: "auto",
    overflowWrap: "anywhere",
  },
  howField: { flexGrow: 1, flexBasis: "160px", minWidth: 0 },
  picker: { width: "100%", minWidth: 0, maxWidth: "100%" },
});

type How = "shorter" | "formal" | "plain" | "own";

const HOWS: readonly How[] = ["shorter", "formal", "plain", "own"];

/** What a way of rewriting is called (a function: the words are the pane's language, known after start-up). */
function howLabel(how: How): string {
  switch (how) {
    case "shorter":
      return t("chat.howShorter");
    case "formal":
      return t("chat.howFormal");
    case "plain":
      return t("chat.howPlain");
    default:
      return t("chat.howOwn");
  }
}

/**
 * The longest selection Rewrite takes: the request carries it whole, and a question may be 8,000
 * characters (src/shared/wire/chat.ts MAX_QUESTION_CHARS), the instruction included.
 */
export const REWRITE_MAX_CHARS = 7000;

/**
 * What the agent is asked: a request to reword (the local server recognises it) with the person's
 * instruction, then the text itself. Ejento has no place for the selection beside the question
 * (`overrides.selected_text` is the local server's), so the text is in the question too.
 */
export function rewriteRequest(how: How, own: string, again: boolean, text: string): string {
  const base =
    how === "shorter"
      ? "Rewrite the selected text to be shorter."
      : how === "formal"
        ? "Rewrite the selected text in a more formal tone."
        : how === "plain"
          ? "Rewrite the selected text in plain language."
          : `Rewrite the selected text: ${own.trim()}`;
  return `${again ? `${base} Write a different version from the ones before.` : base}\n\nThe text:\n"""${text}"""`;
}

interface Session {
  /** The selected text when the first draft was asked for. */
  original: string;
  threadId?: string;
  drafts: string[];
  index: number;
}

export function RewritePanel({ agentId: chatAgentId, suggest, hasDocument }: { agentId: string | undefined; suggest: boolean; hasDocument: boolean }) {
  const styles = useStyles();
  // The drafting agent when there is one (the local server's "Drafting assistant"), else the chat's.
  const agents = useAgents();
  const drafter = agents.data?.find((agent) => /draft/i.test(agent.agent_name)) ?? agents.data?.find((agent) => agent.id === chatAgentId);
  const agentId = drafter?.id ?? chatAgentId;
  const client = useApiClient();
  const host = useDocumentHost();
  const capabilities = useCapabilities();
  const [prefs, setPrefs] = usePersistentState<{ how: How; own: string }>("sidecar.rewrite.prefs", { how: "shorter", own: "" });
  // Kept with the pane's other state, so closing and reopening the pane keeps the drafts.
  const [stored, setStored] = usePersistentState<Session | null>("sidecar.rewrite.session", null);
  const session = stored ?? undefined;
  const setSession = (next: Session | undefined) => setStored(next ?? null);
  const [writing, setWriting] = useState<{ text: string } | undefined>();
  const [problem, setProblem] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);
  // Esc stops the draft being written, as it stops an answer.
  const drafting = writing !== undefined;
  useEffect(() => {
    if (!drafting) return;
    const onEscape = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) controller.current?.abort();
    };
    window.addEventListener("keydown", onEscape);
    return () => window.removeEventListener("keydown", onEscape);
  }, [drafting]);

  const needsModel = capabilities.data?.answers === "extracts";
  if (needsModel) {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("chat.rewriteNeedsModelTitle")}</MessageBarTitle>
          {t("chat.rewriteNeedsModelBody")}
        </MessageBarBody>
      </MessageBar>
    );
  }

  const ask = async (again: boolean) => {
    if (!agentId || writing) return;
    setProblem(undefined);
    setNotice(undefined);
    let current = again ? session : undefined;
    if (!current) {
      const selected = (await host.getSelectedText().catch(() => "")).trim();
      if (!selected) {
        setNotice(t("chat.rewriteSelectFirst"));
        return;
      }
      if (selected.length > REWRITE_MAX_CHARS) {
        setNotice(t("chat.rewriteTooLong", { count: selected.length, max: REWRITE_MAX_CHARS }));
        return;
      }
      if (session?.threadId) void deleteThread(client, session.threadId).catch(() => undefined);
      current = { original: selected, drafts: [], index: 0 };
      setSession(current);
    }
    if (prefs.how === "own" && !prefs.own.trim()) {
      setNotice(t("chat.rewriteSayHow"));
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    let text = "";
    let threadId = current.threadId;
    let failed: string | undefined;
    setWriting({ text: "" });
    try {
      const outcome = await streamAnswer(client, {
        agentId,
        signal: abort.signal,
        request: { user_query: rewriteRequest(prefs.how, prefs.own, again, current.original), chat_thread_id: threadId ?? null, overrides: { selected_text: current.original } },
        onEvent: (event) => {
          if (event.step === "assistant_stream" && typeof event.delta === "string") {
            text += event.delta;
            setWriting({ text });
          } else if (event.step === "end") {
            const output = event.output ?? {};
            if (typeof output.answer === "string" && output.answer.trim()) text = output.answer;
            if (output.thread_id !== undefined && output.thread_id !== null) threadId = String(output.thread_id);
          } else if (event.step === "error") {
            failed = event.message || t("chat.draftFailed");
          }
        },
      });
      if (failed || outcome === "error") throw new ApiError({ kind: "server", endpoint: "streamAgentResponse", message: failed ?? t("chat.draftFailedTryAgain") });
      if (outcome === "closed") throw new ApiError({ kind: "network", endpoint: "streamAgentResponse", message: t("chat.draftCutOff") });
      const draft = text.trim();
      if (!draft) throw new ApiError({ kind: "server", endpoint: "streamAgentResponse", message: t("chat.draftEmpty") });
      const base = current;
      setSession({ ...base, threadId, drafts: [...base.drafts, draft], index: base.drafts.length });
      announce(t("chat.announceDraftReady", { number: base.drafts.length + 1 }));
    } catch (error) {
      if (threadId !== current.threadId) setSession({ ...current, threadId });
      if (isApiError(error) && error.kind === "aborted") announce(t("chat.announceDraftStopped"));
      else {
        setProblem(error);
        announce(t("chat.announceDraftFailed"));
      }
    } finally {
      setWriting(undefined);
    }
  };

  const finish = () => {
    if (session?.threadId) void deleteThread(client, session.threadId).catch(() => undefined);
    setSession(undefined);
  };

  const keep = async () => {
    if (!session) return;
    const draft = session.drafts[session.index];
    if (draft === undefined) return;
    setProblem(undefined);
    setNotice(undefined);
    try {
      // Back to the text that was selected, wherever the cursor is now; only if it is unchanged.
      const found = await host.selectPassage(session.original);
      const now = found ? await host.getSelectedText() : "";
      if (!found || squeeze(now) !== squeeze(session.original)) {
        setNotice(t("chat.rewriteTextChanged"));
        return;
      }
      await host.insertText(draft, "replace", { suggest });
      const where = host.info.kind === "word" ? "word" : "preview";
      setNotice(suggest ? t("chat.rewriteSuggested", { where }) : t("chat.rewriteReplaced"));
      finish();
    } catch (error) {
      setProblem(error);
    }
  };

  const shown = session?.drafts[session.index];
  return (
    <section className={styles.column} aria-labelledby="rewrite-heading">
      <Text id="rewrite-heading" weight="semibold">
        {t("chat.rewriteHeading")}
      </Text>
      <div className={styles.row}>
        <Field label={t("chat.rewriteHow")} className={styles.howField}>
          <Dropdown
            clearButton={null}
            className={styles.picker}
            value={howLabel(prefs.how)}
            selectedOptions={[prefs.how]}
            onOptionSelect={(_, data) => setPrefs((p) => ({ ...p, how: data.optionValue as How }))}
          >
            {HOWS.map((how) => (
              <Option key={how} value={how}>
                {howLabel(how)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button appearance="primary" disabled={!hasDocument || !agentId || !!writing} onClick={() => void ask(false)}>
          {t("chat.rewrite")}
        </Button>
      </div>
      {drafter && <Caption1>{t("chat.draftsBy", { agent: drafter.agent_name })}</Caption1>}
      {prefs.how === "own" && (
        <Field label={t("chat.yourInstruction")}>
          <Textarea
            value={prefs.own}
            onChange={(_, data) => setPrefs((p) => ({ ...p, own: data.value }))}
            placeholder={t("chat.instructionPlaceholder")}
            resize="vertical"
          />
        </Field>
      )}
      {writing && (
        <div className={styles.column}>
          <div className={styles.row} role="status">
            <Spinner size="tiny" />
            <Caption1>{t("chat.writingDraft")}</Caption1>
            <Button size="small" onClick={() => controller.current?.abort()}>
              {t("chat.stop")}
            </Button>
          </div>
          {writing.text && <div className={styles.draft}>{writing.text}</div>}
        </div>
      )}
      {session && shown !== undefined && !writing && (
        <div className={styles.column} aria-label={t("chat.drafts")} role="group">
          <div className={styles.row}>
            <Button
              size="small"
              icon={<ChevronLeftRegular />}
              aria-label={t("chat.previousDraft")}
              disabled={session.index === 0}
              onClick={() => setSession({ ...session, index: session.index - 1 })}
            />
            <Caption1 aria-live="polite">{t("chat.draftOf", { number: session.index + 1, total: session.drafts.length })}</Caption1>
            <Button
              size="small"
              icon={<ChevronRightRegular />}
              aria-label={t("chat.nextDraft")}
              disabled={session.index >= session.drafts.length - 1}
              onClick={() => setSession({ ...session, index: session.index + 1 })}
            />
          </div>
          <div className={styles.draft} data-testid="rewrite-draft">
            {shown}
          </div>
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => void keep()}>
              {t("chat.keep")}
            </Button>
            <Button onClick={() => void ask(true)}>{t("chat.regenerateDraft")}</Button>
            <Button appearance="subtle" onClick={finish}>
              {t("chat.discard")}
            </Button>
          </div>
        </div>
      )}
      {notice && <Caption1 role="status">{notice}</Caption1>}
      {problem !== undefined && <ErrorMessage error={problem} title={t("chat.noDraft")} />}
    </section>
  );
}
