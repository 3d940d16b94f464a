// Past conversations with an agent, as the server lists them (newest first): open one, rename it
// (Enter saves, Esc cancels), or delete it after a confirmation. Deleting the open conversation
// makes the pane's conversation a new one.
import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Input,
  Spinner,
  Tooltip,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { DeleteRegular, RenameRegular } from "@fluentui/react-icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type KeyboardEvent } from "react";
import { useApiClient } from "../../api/api-context";
import { formatDateTime, t } from "../../i18n";
import { ErrorMessage } from "../../ui/error-message";
import { chatKeys, deleteThread, renameThread, useThreads, type ChatThread } from "./api/threads";
import type { Conversation } from "./conversation";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, margin: 0, padding: 0, listStyleType: "none" },
  item: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS, minWidth: 0 },
  open: { flexGrow: 1, minWidth: 0, justifyContent: "flex-start", textAlign: "left", display: "flex", flexDirection: "column", alignItems: "flex-start" },
  title: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", maxWidth: "100%" },
  current: { fontWeight: tokens.fontWeightSemibold },
  date: { color: tokens.colorNeutralForeground3 },
  rename: { display: "flex", gap: tokens.spacingHorizontalXS, flexGrow: 1, alignItems: "center", flexWrap: "wrap", minWidth: 0 },
  renameInput: { flexGrow: 1, flexBasis: "140px", minWidth: 0 },
  iconButton: { flexShrink: 0 },
  dialogTitle: { overflowWrap: "anywhere" },
});

export function formatThreadDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : formatDateTime(date);
}

export function PastConversations({
  conversation,
  onOpen,
  openingError,
}: {
  conversation: Conversation;
  onOpen: (thread: ChatThread) => void;
  openingError: unknown;
}) {
  const styles = useStyles();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const threads = useThreads(conversation.agentId);
  const [editing, setEditing] = useState<{ id: string; title: string } | undefined>();
  const [confirming, setConfirming] = useState<ChatThread | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatKeys.threads(conversation.agentId) });

  const rename = useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) => renameThread(client, id, title),
    onSuccess: (_, { id, title }) => {
      conversation.renamed(id, title);
      setEditing(undefined);
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (thread: ChatThread) => deleteThread(client, thread.id),
    onSuccess: (_, thread) => {
      conversation.deleted(thread.id);
      setConfirming(undefined);
      void refresh();
    },
  });

  const saveRename = () => {
    const title = editing?.title.trim();
    if (editing && title) rename.mutate({ id: editing.id, title });
  };
  const onRenameKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      saveRename();
    } else if (event.key === "Escape") {
      // Esc cancels the rename only (not the answer streaming elsewhere).
      event.stopPropagation();
      setEditing(undefined);
      rename.reset();
    }
  };

  const openId = conversation.threadId === null ? undefined : String(conversation.threadId);
  return (
    <section aria-label={t("chat.pastConversations")}>
      {threads.isLoading && <Spinner size="tiny" label={t("chat.loadingConversations")} />}
      {threads.error && <ErrorMessage error={threads.error} onRetry={() => threads.refetch()} />}
      {threads.data?.length === 0 && <Caption1>{t("chat.noPastConversations")}</Caption1>}
      <ul className={styles.list}>
        {threads.data?.map((thread) => {
          const date = formatThreadDate(thread.modifiedOn ?? thread.createdOn);
          const current = thread.id === openId;
          return (
            <li key={thread.id} className={styles.item}>
              {editing?.id === thread.id ? (
                <div className={styles.rename}>
                  <Input
                    className={styles.renameInput}
                    size="small"
                    aria-label={t("chat.newTitleFor", { title: thread.title })}
                    value={editing.title}
                    autoFocus
                    maxLength={200}
                    onChange={(_, data) => setEditing({ id: thread.id, title: data.value })}
                    onKeyDown={onRenameKey}
                  />
                  <Button size="small" appearance="primary" disabled={!editing.title.trim() || rename.isPending} onClick={saveRename}>
                    {t("chat.save")}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(undefined);
                      rename.reset();
                    }}
                  >
                    {t("chat.cancel")}
                  </Button>
                </div>
              ) : (
                <>
                  <Button
                    className={styles.open}
                    size="small"
                    appearance="subtle"
                    aria-current={current ? "true" : undefined}
                    aria-label={t("chat.threadLabel", { title: thread.title, date: date ?? "", hasDate: date ? "yes" : "no", open: current ? "yes" : "no" })}
                    onClick={() => onOpen(thread)}
                  >
                    <span className={current ? `${styles.title} ${styles.current}` : styles.title} title={thread.title}>
                      {thread.title}
                    </span>
                    {date && <Caption1 className={styles.date}>{date}</Caption1>}
                  </Button>
                  <Tooltip content={t("chat.renameThread", { title: thread.title })} relationship="label">
                    <Button className={styles.iconButton} size="small" appearance="subtle" icon={<RenameRegular />} onClick={() => setEditing({ id: thread.id, title: thread.title })} />
                  </Tooltip>
                  <Tooltip content={t("chat.deleteThread", { title: thread.title })} relationship="label">
                    <Button className={styles.iconButton} size="small" appearance="subtle" icon={<DeleteRegular />} onClick={() => setConfirming(thread)} />
                  </Tooltip>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {rename.error && <ErrorMessage error={rename.error} title={t("chat.renameFailed")} />}
      {openingError !== undefined && <ErrorMessage error={openingError} title={t("chat.openFailed")} />}
      {confirming && (
        <Dialog
          open
          onOpenChange={(_, data) => {
            if (!data.open) {
              setConfirming(undefined);
              remove.reset();
            }
          }}
        >
          <DialogSurface>
            <DialogBody>
              <DialogTitle className={styles.dialogTitle}>{t("chat.deleteThreadQuestion", { title: confirming.title })}</DialogTitle>
              <DialogContent>
                {t("chat.deleteThreadBody")}
                {remove.error ? <ErrorMessage error={remove.error} title={t("chat.deleteFailed")} /> : null}
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" disabled={remove.isPending} onClick={() => remove.mutate(confirming)}>
                  {remove.isPending ? t("chat.deleting") : t("chat.delete")}
                </Button>
                <Button
                  onClick={() => {
                    setConfirming(undefined);
                    remove.reset();
                  }}
                >
                  {t("chat.keepIt")}
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </section>
  );
}
