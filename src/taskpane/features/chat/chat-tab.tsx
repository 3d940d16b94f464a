// The Chat tab: agent picker, conversation starters, messages, composer (Enter sends,
// Shift+Enter adds a line), "ground in this document" and "include my selection", Stop (button
// or Esc), and past conversations with this agent.
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  ProgressBar,
  Spinner,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, EditRegular, HistoryRegular, SendRegular, StopRegular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { useApiClient } from "../../api/api-context";
import { t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useCapabilities } from "./api/capabilities";
import { useAgents } from "./api/get-agents";
import { groundOpenDocument, groundingPhaseLabel, type GroundingProgress } from "./api/grounding";
import { chatKeys, getThreadTurns, type ChatThread } from "./api/threads";
import { conversationFor, type AskOptions, type Conversation } from "./conversation";
import { citationsFor, type CitationsAs } from "./insertable";
import { MessageView } from "./message-view";
import { OnScreen } from "./on-screen";
import { PastConversations } from "./past-conversations";
import { RewritePanel } from "./rewrite-panel";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  starters: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, alignItems: "flex-start" },
  composer: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  threadTitle: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  progress: { flexGrow: 1, minWidth: "80px" },
  // A picker as wide as the pane, never wider (Fluent's Dropdown asks for 250px at least).
  picker: { width: "100%", minWidth: 0, maxWidth: "100%" },
  // The chosen name, cut with an ellipsis when it is longer than the picker.
  pickerValue: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  wideField: { flexBasis: "100%", minWidth: 0 },
  starter: { maxWidth: "100%", textAlign: "left" },
});

/**
 * The newest messages, always rendered (a conversation of up to this many renders everything);
 * older ones only while they are on screen (on-screen.tsx), so a long conversation stays quick.
 */
export const ALWAYS_RENDERED = 30;

/** How a choice of citations is called (a function: the words are the pane's language, known after start-up). */
function citationLabel(kind: CitationsAs): string {
  switch (kind) {
    case "footnotes":
      return t("chat.citationsFootnotes");
    case "comments":
      return t("chat.citationsComments");
    default:
      return t("chat.citationsList");
  }
}

interface ChatPrefs {
  agentId: string;
  ground: boolean;
  includeSelection: boolean;
  /** Insert answers as tracked changes (unset: on in Word, off in the browser tab). */
  suggest?: boolean;
  /** How inserted citations travel (citationsFor: what this Word can do of it). */
  citations?: CitationsAs;
}

export function ChatTab({ hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const agents = useAgents();
  const [prefs, setPrefs] = usePersistentState<ChatPrefs>("sidecar.chat.prefs", { agentId: "", ground: true, includeSelection: false });
  const agent = agents.data?.find((a) => a.id === prefs.agentId) ?? agents.data?.[0];

  return (
    <div className={styles.column}>
      {agents.isLoading && <Spinner size="small" label={t("chat.loadingAgents")} />}
      {agents.error && <ErrorMessage error={agents.error} onRetry={() => agents.refetch()} />}
      {agents.data && agents.data.length === 0 && <Caption1>{t("chat.noAgents")}</Caption1>}
      {agent && (
        <>
          <Field label={t("chat.agent")}>
            <Dropdown
              clearButton={null}
              className={styles.picker}
              value={agent.agent_name}
              button={{
                title: agent.agent_name,
                children: <span className={styles.pickerValue}>{agent.agent_name}</span>,
              }}
              selectedOptions={[agent.id]}
              onOptionSelect={(_, data) => data.optionValue && setPrefs((p) => ({ ...p, agentId: data.optionValue! }))}
            >
              {agents.data!.map((a) => (
                <Option key={a.id} value={a.id} text={a.agent_name} title={a.agent_name}>
                  {a.agent_name}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {agent.description && <Caption1>{agent.description}</Caption1>}
          <ConversationView
            key={agent.id}
            conversation={conversationFor(agent.id)}
            starters={agent.conversation_starter_enabled ? agent.starters : []}
            hasDocument={hasDocument}
            prefs={prefs}
            setPrefs={setPrefs}
          />
        </>
      )}
    </div>
  );
}

interface GroundingRun {
  progress: GroundingProgress;
  controller: AbortController;
}

interface GroundingFailure {
  error: unknown;
  /** Asks without grounding (what the person chooses after reading why). */
  proceed: () => void;
}

function ConversationView({
  conversation,
  starters,
  hasDocument,
  prefs,
  setPrefs,
}: {
  conversation: Conversation;
  starters: string[];
  hasDocument: boolean;
  prefs: ChatPrefs;
  setPrefs: (update: (p: ChatPrefs) => ChatPrefs) => void;
}) {
  const styles = useStyles();
  const client = useApiClient();
  const host = useDocumentHost();
  const queryClient = useQueryClient();
  const capabilities = useCapabilities();
  const extracts = capabilities.data?.answers === "extracts";
  const [extractsHintSeen, setExtractsHintSeen] = usePersistentState<boolean>("sidecar.chat.extractsHintSeen", false);
  const { ids, busy: answering } = useSyncExternalStore(conversation.subscribeList, conversation.state);
  const [draft, setDraft] = usePersistentState<string>(`sidecar.chat.draft.${conversation.agentId}`, "");
  const [showThreads, setShowThreads] = useState(false);
  const [showRewrite, setShowRewrite] = usePersistentState<boolean>("sidecar.rewrite.open", false);
  const [threadError, setThreadError] = useState<unknown>();
  const [grounding, setGrounding] = useState<GroundingRun | undefined>();
  const [groundingFailure, setGroundingFailure] = useState<GroundingFailure | undefined>();
  const end = useRef<HTMLDivElement>(null);
  const busy = answering || grounding !== undefined;
  const groundingWanted = prefs.ground && hasDocument;
  // Suggestions (tracked changes): on by default in Word; the browser tab's preview shows them
  // too (accepted or rejected above it), off unless the person turns them on.
  const suggesting = prefs.suggest ?? host.info.kind === "word";
  const noteKinds = host.info.citationNotes ?? [];
  const citations = citationsFor(prefs.citations, noteKinds);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [ids.length]);

  const selection = async (): Promise<string | undefined> => {
    const selected = prefs.includeSelection && hasDocument ? (await host.getSelectedText().catch(() => "")).trim() : "";
    return selected ? selected.slice(0, 4000) : undefined;
  };

  /**
   * The options of a question: with grounding wanted, the open document indexed in a corpus
   * linked to this conversation. Undefined when the person stopped it, or when grounding failed
   * (the failure is shown with a way to ask anyway, which runs `run` without grounding).
   */
  const prepare = async (run: (options: AskOptions) => Promise<void>): Promise<AskOptions | undefined> => {
    setGroundingFailure(undefined);
    const selectedText = await selection();
    if (!groundingWanted) return { selectedText };
    const controller = new AbortController();
    setGrounding({ progress: { phase: "reading" }, controller });
    try {
      const threadId = await conversation.ensureThread(client, controller.signal);
      const corpusId = await groundOpenDocument(host, client, {
        threadId,
        signal: controller.signal,
        onProgress: (progress) => setGrounding((current) => (current?.controller === controller ? { progress, controller } : current)),
      });
      return { selectedText, corpusIds: [corpusId] };
    } catch (error) {
      if (!controller.signal.aborted) setGroundingFailure({ error, proceed: () => void run({ selectedText }) });
      return undefined;
    } finally {
      setGrounding(undefined);
    }
  };

  const askNow = async (text: string, options: AskOptions) => {
    setGroundingFailure(undefined);
    // The typed question leaves the box only once it is really asked.
    setDraft((current) => (current.trim() === text ? "" : current));
    await conversation.ask(client, text, options);
    void queryClient.invalidateQueries({ queryKey: chatKeys.threads(conversation.agentId) });
  };

  const send = async (question: string) => {
    const text = question.trim();
    if (!text || busy) return;
    const options = await prepare((fallback) => askNow(text, fallback));
    if (options) await askNow(text, options);
  };
  const retry = async (id: string) => {
    const question = conversation.message(id)?.question;
    if (!question || busy) return;
    const run = (options: AskOptions) => conversation.ask(client, question, options, id);
    const options = await prepare(run);
    if (options) await run(options);
  };
  const regenerate = async (id: string) => {
    if (busy) return;
    const run = async (options: AskOptions) => {
      await conversation.regenerate(client, id, options);
      void queryClient.invalidateQueries({ queryKey: chatKeys.threads(conversation.agentId) });
    };
    const options = await prepare(run);
    if (options) await run(options);
  };
  const stop = () => {
    grounding?.controller.abort();
    conversation.stop();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(draft);
    }
  };

  // Esc stops the indexing or the answer that is streaming, from anywhere in the pane.
  const stopRef = useRef(stop);
  stopRef.current = stop;
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) stopRef.current();
    };
    window.addEventListener("keydown", onEscape);
    return () => window.removeEventListener("keydown", onEscape);
  }, []);

  const openThread = async (thread: ChatThread) => {
    setThreadError(undefined);
    try {
      const turns = await queryClient.fetchQuery({ queryKey: chatKeys.turns(thread.id), queryFn: ({ signal }) => getThreadTurns(client, thread.id, signal), staleTime: 0 });
      conversation.load(thread.id, thread.title, turns);
      setShowThreads(false);
    } catch (error) {
      setThreadError(error);
    }
  };

  return (
    <div className={styles.column}>
      <div className={styles.row}>
        <Button size="small" icon={<AddRegular />} onClick={() => conversation.clear()} disabled={busy || ids.length === 0}>
          {t("chat.newConversation")}
        </Button>
        <Button size="small" icon={<HistoryRegular />} aria-expanded={showThreads} disabled={busy} onClick={() => setShowThreads((v) => !v)}>
          {t("chat.pastConversations")}
        </Button>
        <Button size="small" icon={<EditRegular />} aria-expanded={showRewrite} onClick={() => setShowRewrite((v) => !v)}>
          {t("chat.rewriteSelection")}
        </Button>
      </div>
      {showRewrite && <RewritePanel agentId={conversation.agentId} suggest={suggesting} hasDocument={hasDocument} />}
      {conversation.threadName && ids.length > 0 && (
        <Text weight="semibold" className={styles.threadTitle} title={conversation.threadName}>
          {conversation.threadName}
        </Text>
      )}
      {extracts && !extractsHintSeen && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t("chat.extractsTitle")}</MessageBarTitle>
            {t("chat.extractsBody")}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => setExtractsHintSeen(true)}>
              {t("chat.gotIt")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {showThreads && <PastConversations conversation={conversation} onOpen={(t) => void openThread(t)} openingError={threadError} />}
      {ids.length === 0 && starters.length > 0 && (
        <section className={styles.starters} aria-label={t("chat.conversationStarters")}>
          <Text weight="semibold">{t("chat.tryAsking")}</Text>
          {starters.map((q) => (
            <Button key={q} size="small" shape="circular" className={styles.starter} disabled={busy} onClick={() => void send(q)}>
              {q}
            </Button>
          ))}
        </section>
      )}
      <div className={styles.messages} role="log" aria-live="polite" aria-label={t("chat.conversation")}>
        {ids.map((id, index) => (
          <OnScreen key={id} always={index >= ids.length - ALWAYS_RENDERED}>
            <MessageView
              conversation={conversation}
              id={id}
              busy={busy}
              onRetry={(m) => void retry(m)}
              onRegenerate={(m: string) => void regenerate(m)}
              onFollowup={(q) => void send(q)}
              extracts={extracts}
              suggest={suggesting}
              citations={citations}
            />
          </OnScreen>
        ))}
        <div ref={end} />
      </div>
      <div className={styles.composer}>
        <Field label={t("chat.askTheAgent")} hint={t("chat.composerHint")}>
          <Textarea value={draft} onChange={(_, data) => setDraft(data.value)} onKeyDown={onKeyDown} resize="vertical" />
        </Field>
        <div className={styles.row}>
          <Switch
            label={t("chat.groundInDocument")}
            checked={groundingWanted}
            disabled={!hasDocument}
            onChange={(_, data) => setPrefs((p) => ({ ...p, ground: data.checked }))}
          />
          <Switch
            label={t("chat.includeSelection")}
            checked={prefs.includeSelection}
            disabled={!hasDocument}
            onChange={(_, data) => setPrefs((p) => ({ ...p, includeSelection: data.checked }))}
          />
          <Switch label={t("chat.insertAsTrackedChanges")} checked={suggesting} onChange={(_, data) => setPrefs((p) => ({ ...p, suggest: data.checked }))} />
          {noteKinds.length > 0 && (
            <Field label={t("chat.citationsInDocument")} className={styles.wideField}>
              <Dropdown
                clearButton={null}
                className={styles.picker}
                value={citationLabel(citations)}
                selectedOptions={[citations]}
                onOptionSelect={(_, data) => setPrefs((p) => ({ ...p, citations: data.optionValue as CitationsAs }))}
              >
                {[...noteKinds, "list" as const].map((kind) => (
                  <Option key={kind} value={kind}>
                    {citationLabel(kind)}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
        </div>
        {grounding && (
          <div role="status" className={styles.row}>
            <Spinner size="tiny" />
            <Caption1>{groundingPhaseLabel(grounding.progress.phase)}</Caption1>
            {grounding.progress.fraction !== undefined && (
              <ProgressBar className={styles.progress} value={grounding.progress.fraction} aria-label={t("chat.sendingDocument")} />
            )}
          </div>
        )}
        {groundingFailure && (
          <MessageBar intent="warning" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{t("chat.groundingFailedTitle")}</MessageBarTitle>
              {t("chat.groundingFailedBody", { reason: messageOf(groundingFailure.error) })}
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={groundingFailure.proceed}>
                {t("chat.askWithoutGrounding")}
              </Button>
              <Button size="small" onClick={() => setGroundingFailure(undefined)}>
                {t("chat.cancel")}
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        <div className={styles.row}>
          {busy ? (
            <Button icon={<StopRegular />} onClick={stop}>
              {t("chat.stop")}
            </Button>
          ) : (
            <Button appearance="primary" icon={<SendRegular />} disabled={!draft.trim()} onClick={() => void send(draft)}>
              {t("chat.send")}
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
