// The Chat tab: agent picker, conversation starters, messages, composer (Enter sends,
// Shift+Enter adds a line), "ground in this document" and "include my selection", Stop (button
// or Esc), and past conversations with this agent.
import {
  Button,
  Caption1,
  Dropdown,
  Field,
  Option,
  Spinner,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, HistoryRegular, SendRegular, StopRegular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { useApiClient } from "../../api/api-context";
import { useOpenDocumentId } from "../../api/open-document";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useAgents } from "./api/get-agents";
import { chatKeys, getThreadTurns, useThreads } from "./api/threads";
import { conversationFor, type AskOptions, type Conversation } from "./conversation";
import { MessageView } from "./message-view";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  messages: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  starters: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, alignItems: "flex-start" },
  composer: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

interface ChatPrefs {
  agentId: string;
  ground: boolean;
  includeSelection: boolean;
}

export function ChatTab({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const agents = useAgents();
  const [prefs, setPrefs] = usePersistentState<ChatPrefs>("sidecar.chat.prefs", { agentId: "", ground: true, includeSelection: false });
  const agent = agents.data?.find((a) => a.id === prefs.agentId) ?? agents.data?.[0];

  return (
    <div className={styles.column}>
      {agents.isLoading && <Spinner size="small" label="Loading agents…" />}
      {agents.error && <ErrorMessage error={agents.error} onRetry={() => agents.refetch()} />}
      {agents.data && agents.data.length === 0 && <Caption1>This server has no agents yet.</Caption1>}
      {agent && (
        <>
          <Field label="Agent">
            <Dropdown
              value={agent.agent_name}
              selectedOptions={[agent.id]}
              onOptionSelect={(_, data) => data.optionValue && setPrefs((p) => ({ ...p, agentId: data.optionValue! }))}
            >
              {agents.data!.map((a) => (
                <Option key={a.id} value={a.id} text={a.agent_name}>
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
            documentKey={documentKey}
            hasDocument={hasDocument}
            prefs={prefs}
            setPrefs={setPrefs}
          />
        </>
      )}
    </div>
  );
}

function ConversationView({
  conversation,
  starters,
  documentKey,
  hasDocument,
  prefs,
  setPrefs,
}: {
  conversation: Conversation;
  starters: string[];
  documentKey: string;
  hasDocument: boolean;
  prefs: ChatPrefs;
  setPrefs: (update: (p: ChatPrefs) => ChatPrefs) => void;
}) {
  const styles = useStyles();
  const client = useApiClient();
  const host = useDocumentHost();
  const queryClient = useQueryClient();
  const { ids, busy } = useSyncExternalStore(conversation.subscribeList, conversation.state);
  const openId = useOpenDocumentId(documentKey, hasDocument);
  const threads = useThreads(conversation.agentId);
  const [draft, setDraft] = usePersistentState<string>(`sidecar.chat.draft.${conversation.agentId}`, "");
  const [showThreads, setShowThreads] = useState(false);
  const [threadError, setThreadError] = useState<unknown>();
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [ids.length]);

  const options = async (): Promise<AskOptions> => {
    const selected = prefs.includeSelection && hasDocument ? (await host.getSelectedText().catch(() => "")).trim() : "";
    return {
      documentIds: prefs.ground && openId.data ? [openId.data] : undefined,
      selectedText: selected ? selected.slice(0, 4000) : undefined,
    };
  };

  const send = async (question: string) => {
    const text = question.trim();
    if (!text || conversation.isBusy()) return;
    setDraft("");
    await conversation.ask(client, text, await options());
    void queryClient.invalidateQueries({ queryKey: chatKeys.threads(conversation.agentId) });
  };
  const retry = async (id: string) => {
    const question = conversation.message(id)?.question;
    if (question) await conversation.ask(client, question, await options(), id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(draft);
    }
  };

  // Esc stops the answer that is streaming, from anywhere in the pane.
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === "Escape" && conversation.isBusy()) conversation.stop();
    };
    window.addEventListener("keydown", onEscape);
    return () => window.removeEventListener("keydown", onEscape);
  }, [conversation]);

  const openThread = async (threadId: string, name: string) => {
    setThreadError(undefined);
    try {
      const turns = await queryClient.fetchQuery({ queryKey: chatKeys.turns(threadId), queryFn: ({ signal }) => getThreadTurns(client, threadId, signal) });
      conversation.load(threadId, name, turns);
      setShowThreads(false);
    } catch (error) {
      setThreadError(error);
    }
  };

  return (
    <div className={styles.column}>
      <div className={styles.row}>
        <Button size="small" icon={<AddRegular />} onClick={() => conversation.clear()} disabled={busy || ids.length === 0}>
          New conversation
        </Button>
        <Button size="small" icon={<HistoryRegular />} aria-expanded={showThreads} onClick={() => setShowThreads((v) => !v)}>
          Past conversations
        </Button>
      </div>
      {showThreads && (
        <section aria-label="Past conversations" className={styles.starters}>
          {threads.isLoading && <Spinner size="tiny" label="Loading conversations…" />}
          {threads.error && <ErrorMessage error={threads.error} onRetry={() => threads.refetch()} />}
          {threads.data?.length === 0 && <Caption1>No past conversations with this agent.</Caption1>}
          {threads.data?.map((t) => (
            <Button key={t.id} size="small" appearance="subtle" onClick={() => void openThread(t.id, t.name)}>
              {t.name}
            </Button>
          ))}
          {threadError !== undefined && <ErrorMessage error={threadError} title="Couldn't open that conversation" />}
        </section>
      )}
      {ids.length === 0 && starters.length > 0 && (
        <section className={styles.starters} aria-label="Conversation starters">
          <Text weight="semibold">Try asking</Text>
          {starters.map((q) => (
            <Button key={q} size="small" shape="circular" onClick={() => void send(q)}>
              {q}
            </Button>
          ))}
        </section>
      )}
      <div className={styles.messages} role="log" aria-live="polite" aria-label="Conversation">
        {ids.map((id) => (
          <MessageView key={id} conversation={conversation} id={id} onRetry={(m) => void retry(m)} onFollowup={(q) => void send(q)} />
        ))}
        <div ref={end} />
      </div>
      <div className={styles.composer}>
        <Field label="Ask the agent" hint="Enter sends · Shift+Enter adds a line · Esc stops">
          <Textarea value={draft} onChange={(_, data) => setDraft(data.value)} onKeyDown={onKeyDown} resize="vertical" />
        </Field>
        <div className={styles.row}>
          <Switch
            label="Ground in this document"
            checked={prefs.ground}
            disabled={!openId.data}
            onChange={(_, data) => setPrefs((p) => ({ ...p, ground: data.checked }))}
          />
          <Switch
            label="Include my selection"
            checked={prefs.includeSelection}
            disabled={!hasDocument}
            onChange={(_, data) => setPrefs((p) => ({ ...p, includeSelection: data.checked }))}
          />
        </div>
        {prefs.ground && hasDocument && openId.data === null && <Caption1>Upload this document to ground answers in it.</Caption1>}
        <div className={styles.row}>
          {busy ? (
            <Button icon={<StopRegular />} onClick={() => conversation.stop()}>
              Stop
            </Button>
          ) : (
            <Button appearance="primary" icon={<SendRegular />} disabled={!draft.trim()} onClick={() => void send(draft)}>
              Send
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
