// One message. It subscribes to its own entry in the conversation, so a delta re-renders only
// the answer that is streaming.
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import {
  ArrowClockwiseRegular,
  CopyRegular,
  ShieldErrorRegular,
  TextAddRegular,
  TextEditStyleRegular,
  ThumbDislikeRegular,
  ThumbLikeRegular,
} from "@fluentui/react-icons";
import { lazy, memo, Suspense, useCallback, useRef, useState, useSyncExternalStore } from "react";
import type { Vote } from "../../../shared/wire/chat";
import { useApiClient } from "../../api/api-context";
import { t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { requestSources } from "../../ui/navigation";
import { fetchCitation, openBlob, storageFileName } from "./api/citation-content";
import { useSendFeedback } from "./api/send-feedback";
import type { Reference } from "./api/stream-answer";
import type { Conversation } from "./conversation";
import { isWebAddress } from "./citations";
import { insertableAnswer, type CitationsAs } from "./insertable";

const MarkdownView = lazy(() => import(/* webpackChunkName: "markdown" */ "./markdown-view"));

const useStyles = makeStyles({
  user: {
    alignSelf: "flex-end",
    maxWidth: "85%",
    backgroundColor: tokens.colorBrandBackground2,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusLarge,
    whiteSpace: "pre-wrap",
    overflowWrap: "anywhere",
  },
  assistant: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    overflowWrap: "anywhere",
    "& table": { borderCollapse: "collapse" },
    "& td, & th": { border: `1px solid ${tokens.colorNeutralStroke2}`, padding: "2px 6px" },
    "& pre": { whiteSpace: "pre-wrap" },
    // Citations and source links in the theme's link colours (the browser's default blue is
    // unreadable on the dark theme).
    "& a": { color: tokens.colorBrandForegroundLink },
    "& a:hover": { color: tokens.colorBrandForegroundLinkHover },
    "& a:active": { color: tokens.colorBrandForegroundLinkPressed },
  },
  answer: { "& p:first-child": { marginTop: 0 } },
  plain: { whiteSpace: "pre-wrap" },
  row: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap", alignItems: "center" },
  chip: { borderRadius: tokens.borderRadiusCircular, maxWidth: "100%", textAlign: "left" },
  refs: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  linkButton: { padding: 0, minWidth: 0, maxWidth: "100%", height: "auto", fontWeight: tokens.fontWeightRegular, color: tokens.colorBrandForegroundLink, textAlign: "left" },
  unavailable: { color: tokens.colorNeutralForeground3 },
  extractsLabel: { color: tokens.colorNeutralForeground3, fontStyle: "italic" },
});

/** How a reference opens: in the Sources tab, as a web page, through the citation-content route, or not at all. */
function citationKind(ref: Reference): "sources" | "web" | "stored" | "none" {
  if (ref.document_id) return "sources";
  if (isWebAddress(ref.url)) return "web";
  return ref.url ? "stored" : "none";
}

/** What a reference is called in the list. */
function referenceLabel(ref: Reference): string {
  if (ref.title) return ref.title;
  if (ref.url && !isWebAddress(ref.url)) return storageFileName(ref.url);
  return ref.url || t("chat.sourceNumber", { number: ref.number });
}

export const MessageView = memo(function MessageView({
  conversation,
  id,
  busy,
  onRetry,
  onRegenerate,
  onFollowup,
  extracts = false,
  suggest = false,
  citations = "list",
}: {
  conversation: Conversation;
  id: string;
  /** Something is being asked: no new question can start from here. */
  busy: boolean;
  onRetry: (id: string) => void;
  onRegenerate: (id: string) => void;
  onFollowup: (question: string) => void;
  /** The server answers with extracts (no model): answers are titled so. */
  extracts?: boolean;
  /** Inserts go in as suggestions (tracked changes). */
  suggest?: boolean;
  /** How inserted citations travel: Word footnotes or comments, or "[n]" with a list of sources. */
  citations?: CitationsAs;
}) {
  const styles = useStyles();
  const subscribe = useCallback((listener: () => void) => conversation.subscribeMessage(id, listener), [conversation, id]);
  const message = useSyncExternalStore(subscribe, () => conversation.message(id));
  const host = useDocumentHost();
  const client = useApiClient();
  const feedback = useSendFeedback();
  /** Citations whose file could not be fetched, by number: shown as not available. */
  const [unavailable, setUnavailable] = useState<Record<number, string>>({});
  const [done, setDone] = useState<string | undefined>();
  const [insertError, setInsertError] = useState<unknown>();
  const rendered = useRef<HTMLDivElement>(null);
  if (!message) return null;

  if (message.role === "user") {
    return (
      <div className={styles.user} aria-label={t("chat.yourQuestion")}>
        {message.text}
      </div>
    );
  }

  const vote = message.vote;
  const cite = (n: number) => {
    const ref = message.references.find((r) => r.number === n);
    if (!ref) return;
    switch (citationKind(ref)) {
      case "sources": {
        const cited = ref.text
          ? { number: n, documentName: ref.document_name, sectionTitle: ref.section_title, passageId: ref.passage_id, text: ref.text, s3Key: ref.s3_key }
          : undefined;
        requestSources({ documentId: ref.document_id!, sectionId: ref.section_id, title: ref.document_name ?? ref.title, cited });
        return;
      }
      case "web":
        window.open(ref.url, "_blank", "noopener");
        return;
      case "stored": {
        const name = ref.url!;
        fetchCitation(client, name).then(
          (blob) => openBlob(blob, name),
          () => setUnavailable((current) => ({ ...current, [n]: storageFileName(name) })),
        );
        return;
      }
      default:
        setUnavailable((current) => ({ ...current, [n]: referenceLabel(ref) }));
    }
  };
  const castVote = (choice: Vote) =>
    feedback.mutate({ id: message.agentResponseId!, vote: choice }, { onSuccess: () => conversation.setVote(message.id, choice) });

  const insert = async (mode: "cursor" | "replace") => {
    setInsertError(undefined);
    try {
      // The answer's content (no lead-in) and a reference list for its citations (insertable.ts).
      const asNotes = citations !== "list";
      const content = insertableAnswer(rendered.current, message.text, message.references, { asNotes });
      await host.insertFormatted(content.html, mode, content.text, {
        suggest,
        ...(citations !== "list" && content.notes.length > 0 ? { notes: { as: citations, list: content.notes } } : {}),
      });
      const where = host.info.kind === "word" ? "word" : "preview";
      setDone(
        suggest
          ? mode === "cursor"
            ? t("chat.suggestedAtCursor", { where })
            : t("chat.suggestedInPlaceOfSelection", { where })
          : mode === "cursor"
            ? t("chat.insertedAtCursor")
            : t("chat.replacedSelection"),
      );
    } catch (error) {
      setInsertError(error);
    }
  };

  const copy = async () => {
    try {
      // The same as Insert puts into the document, as plain text.
      await navigator.clipboard.writeText(insertableAnswer(rendered.current, message.text, message.references).text);
      setDone(t("chat.copied"));
    } catch {
      setDone(t("chat.copyBlocked"));
    }
  };

  const finished = message.status !== "streaming";
  if (message.status === "blocked") {
    return (
      <article className={styles.assistant} aria-label={t("chat.answer")}>
        <MessageBar intent="warning" layout="multiline" icon={<ShieldErrorRegular />}>
          <MessageBarBody>
            <MessageBarTitle>{t("chat.guardrailTitle")}</MessageBarTitle>
            {message.text}
          </MessageBarBody>
        </MessageBar>
      </article>
    );
  }
  const answered = finished && !!message.text && message.status !== "error";
  return (
    <article className={styles.assistant} aria-label={t("chat.answer")} aria-busy={!finished || message.regenerating}>
      {message.thoughts.length > 0 && (
        <Accordion collapsible>
          <AccordionItem value="thoughts">
            <AccordionHeader size="small">{t("chat.thoughts", { count: message.thoughts.length })}</AccordionHeader>
            <AccordionPanel>
              {message.thoughts.map((thought, i) => (
                <Caption1 key={i} block>
                  {thought}
                </Caption1>
              ))}
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      )}
      {extracts && answered && (
        <Caption1 className={styles.extractsLabel} block>
          {t("chat.extractsLabel")}
        </Caption1>
      )}
      <div ref={rendered} className={styles.answer} data-testid="answer-text">
        {message.text ? (
          <Suspense fallback={<Text className={styles.plain} data-unrendered="">{message.text}</Text>}>
            <MarkdownView text={message.text} onCite={cite} />
          </Suspense>
        ) : (
          !finished && <Spinner size="tiny" label={t("chat.thinking")} />
        )}
      </div>
      {message.regenerating && <Spinner size="tiny" label={t("chat.regenerating")} />}
      {message.regenerateError && (
        <MessageBar intent="warning" layout="multiline" role="alert">
          <MessageBarBody>{message.regenerateError}</MessageBarBody>
        </MessageBar>
      )}
      {message.status === "stopped" && <Caption1>{t("chat.stopped")}</Caption1>}
      {(message.status === "interrupted" || message.status === "error") && (
        <MessageBar intent={message.status === "error" ? "error" : "warning"} layout="multiline" role="alert">
          <MessageBarBody>{message.status === "interrupted" ? t("chat.interrupted", { reason: message.error ?? "" }) : message.error}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" disabled={busy} onClick={() => onRetry(message.id)}>
              {t("chat.retry")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {finished && message.references.length > 0 && (
        <ol className={styles.refs} aria-label={t("chat.sourcesOfAnswer")}>
          {message.references
            .slice()
            .sort((a, b) => (a.order ?? a.number) - (b.order ?? b.number))
            .map((r) => {
              const kind = citationKind(r);
              const label = referenceLabel(r);
              return (
                <li key={r.number} value={r.number}>
                  {unavailable[r.number] !== undefined || kind === "none" ? (
                    <span className={styles.unavailable}>
                      {t("chat.sourceNotAvailable", { label })}
                    </span>
                  ) : kind === "web" ? (
                    <a href={r.url} target="_blank" rel="noopener noreferrer">
                      {label}
                    </a>
                  ) : (
                    <Button appearance="transparent" size="small" className={styles.linkButton} onClick={() => cite(r.number)}>
                      {label}
                    </Button>
                  )}
                </li>
              );
            })}
        </ol>
      )}
      {answered && (
        <div className={styles.row}>
          <Tooltip content={t("chat.copy")} relationship="label">
            <Button size="small" appearance="subtle" icon={<CopyRegular />} onClick={copy} />
          </Tooltip>
          <Button size="small" icon={<TextAddRegular />} onClick={() => void insert("cursor")}>
            {t("chat.insertAtCursor")}
          </Button>
          <Button size="small" icon={<TextEditStyleRegular />} onClick={() => void insert("replace")}>
            {t("chat.replaceSelection")}
          </Button>
          {message.status === "done" && message.question && (
            <Tooltip content={t("chat.regenerate")} relationship="label">
              <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} disabled={busy} onClick={() => onRegenerate(message.id)} />
            </Tooltip>
          )}
          {message.agentResponseId && (
            <>
              <Tooltip content={t("chat.goodAnswer")} relationship="label">
                <Button
                  size="small"
                  appearance={vote === "upvote" ? "primary" : "subtle"}
                  icon={<ThumbLikeRegular />}
                  aria-pressed={vote === "upvote"}
                  onClick={() => castVote("upvote")}
                />
              </Tooltip>
              <Tooltip content={t("chat.badAnswer")} relationship="label">
                <Button
                  size="small"
                  appearance={vote === "downvote" ? "primary" : "subtle"}
                  icon={<ThumbDislikeRegular />}
                  aria-pressed={vote === "downvote"}
                  onClick={() => castVote("downvote")}
                />
              </Tooltip>
            </>
          )}
          {done && <Caption1 role="status">{done}</Caption1>}
        </div>
      )}
      {insertError !== undefined && <ErrorMessage error={insertError} title={t("chat.insertFailed")} />}
      {feedback.error && <ErrorMessage error={feedback.error} title={t("chat.feedbackFailed")} />}
      {finished && message.followups.length > 0 && (
        <div className={mergeClasses(styles.row)} role="group" aria-label={t("chat.followupQuestions")}>
          {message.followups.map((q) => (
            <Button key={q} size="small" shape="circular" className={styles.chip} disabled={busy} onClick={() => onFollowup(q)}>
              {q}
            </Button>
          ))}
        </div>
      )}
    </article>
  );
});
