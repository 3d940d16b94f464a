// Browser-tab mode: the person picks a .docx that stands for "the open document"; a readable
// preview of it sits where Word's page would be, and supports selecting and inserting text.
//
// Keyboard: "Open a .docx" (Tab, then Enter or Space) opens the browser's file chooser; "Close"
// forgets the document and leaves focus on the open button. Each suggestion has its own Accept
// and Reject buttons (Tab); after one is resolved, focus moves to the next suggestion's Accept (or
// the one before it), and to the preview when none is left. The preview itself is in the Tab
// order, so it can be scrolled with the arrow keys and Page Up/Down.
import { Button, Caption1, Spinner, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { CheckmarkRegular, DocumentAddRegular, DismissRegular } from "@fluentui/react-icons";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type DragEvent } from "react";
import { t } from "../i18n";
import type { BrowserHost } from "../office/browser-host";
import { announce } from "../ui/announcer";
import { ErrorMessage } from "../ui/error-message";

const useStyles = makeStyles({
  panel: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    minWidth: 0,
    minHeight: 0,
    overflow: "hidden",
    backgroundColor: tokens.colorNeutralBackground3,
    boxSizing: "border-box",
  },
  toolbar: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", minWidth: 0 },
  // A long file name is cut with an ellipsis (the whole name in its title).
  name: { minWidth: 0, maxWidth: "100%", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  page: {
    flexGrow: 1,
    minHeight: 0,
    overflowY: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow8,
    // Word's page margins where there is room; narrow, the text keeps most of the width.
    padding: "clamp(12px, 5%, 48px) clamp(12px, 6%, 56px)",
    maxWidth: "816px",
    width: "100%",
    boxSizing: "border-box",
    alignSelf: "center",
    lineHeight: 1.5,
    overflowWrap: "anywhere",
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: "2px" },
    "& [data-sidecar-inserted]": { backgroundColor: tokens.colorPaletteYellowBackground2 },
    // Suggestions, as Word shows tracked changes: inserted text underlined, deleted text struck through.
    "& [data-sidecar-suggestion]": { textDecorationLine: "underline", color: tokens.colorPaletteBlueForeground2 },
    "& del[data-sidecar-suggestion]": { textDecorationLine: "line-through", color: tokens.colorPaletteRedForeground1 },
    // A section written in place: a box with its title, as Word shows a content control.
    "& [data-sidecar-section]": {
      position: "relative",
      border: `1px solid ${tokens.colorNeutralStroke1}`,
      borderRadius: tokens.borderRadiusSmall,
      padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXS}`,
      margin: `${tokens.spacingVerticalS} 0`,
    },
    "& [data-sidecar-section]::before": {
      content: "attr(data-sidecar-title)",
      position: "absolute",
      top: 0,
      left: tokens.spacingHorizontalS,
      right: tokens.spacingHorizontalS,
      overflow: "hidden",
      textOverflow: "ellipsis",
      whiteSpace: "nowrap",
      fontSize: tokens.fontSizeBase100,
      color: tokens.colorNeutralForeground3,
    },
    "& a": { color: tokens.colorBrandForegroundLink },
    "& img": { maxWidth: "100%", height: "auto" },
    "& table": { maxWidth: "100%" },
  },
  dropTarget: { outline: `2px dashed ${tokens.colorBrandStroke1}` },
  suggestions: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, maxHeight: "30%", overflowY: "auto", minWidth: 0 },
  // Narrow, a suggestion's buttons go under its text.
  suggestion: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS, minWidth: 0 },
  suggestionText: { flexGrow: 1, flexBasis: "12em", minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  suggestionButtons: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  hidden: { display: "none" },
  empty: { textAlign: "center", padding: tokens.spacingVerticalXXL },
});

export function BrowserDocumentPanel({ host }: { host: BrowserHost }) {
  const styles = useStyles();
  const snapshot = useSyncExternalStore(host.subscribe, host.getSnapshot);
  const input = useRef<HTMLInputElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const preview = useRef<HTMLDivElement | null>(null);
  const acceptButtons = useRef(new Map<string, HTMLButtonElement>());
  /** After a suggestion is resolved: the suggestion whose Accept gets focus (null: the preview). */
  const focusAfterResolve = useRef<string | null | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const attach = useCallback(
    (el: HTMLDivElement | null) => {
      preview.current = el;
      host.attachPreview(el);
    },
    [host],
  );

  const open = (file: File | undefined) => {
    if (!file) return;
    host.openFile(file).then(
      () => {
        const now = host.getSnapshot();
        if (now.status === "ready" && now.name) announce(t("office.documentOpened", { name: now.name }));
      },
      () => undefined, // errors show through the snapshot (an alert)
    );
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    open(event.dataTransfer.files[0]);
  };

  const suggestions = snapshot.status === "ready" ? (snapshot.suggestions ?? []) : [];
  const resolve = (id: string, accept: boolean) => {
    const at = suggestions.findIndex((suggestion) => suggestion.id === id);
    const next = suggestions[at + 1] ?? suggestions[at - 1];
    // Set before the host is told: its new snapshot re-renders the list, and the effect below reads this.
    focusAfterResolve.current = next?.id ?? null;
    if (!host.resolveSuggestion(id, accept)) {
      focusAfterResolve.current = undefined;
      return;
    }
    announce(t(accept ? "office.suggestionAccepted" : "office.suggestionRejected"));
  };
  // The resolved suggestion's row is gone: focus goes on, not to the page's start.
  useEffect(() => {
    const target = focusAfterResolve.current;
    if (target === undefined) return;
    focusAfterResolve.current = undefined;
    (target === null ? preview.current : acceptButtons.current.get(target))?.focus();
  }, [snapshot.suggestions]);

  const name = snapshot.status === "ready" ? snapshot.name : undefined;
  return (
    <section
      className={styles.panel}
      aria-label={t("office.panelLabel")}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className={styles.toolbar}>
        <Text weight="semibold" className={styles.name} title={name}>
          {name ?? t("office.noDocumentOpen")}
        </Text>
        <Button ref={openButton} icon={<DocumentAddRegular />} onClick={() => input.current?.click()}>
          {name !== undefined ? t("office.openAnotherDocx") : t("office.openDocx")}
        </Button>
        {name !== undefined && (
          <Button
            appearance="subtle"
            icon={<DismissRegular />}
            onClick={() => {
              void host.closeFile();
              openButton.current?.focus();
            }}
          >
            {t("office.closeDocument")}
          </Button>
        )}
        <input
          ref={input}
          className={styles.hidden}
          type="file"
          aria-label={t("office.chooseWordDocument")}
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          onChange={(event) => {
            open(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        <Caption1>{t("office.browserModeNote")}</Caption1>
      </div>
      {snapshot.error !== undefined && <ErrorMessage error={snapshot.error} title={t("office.couldNotOpenFile")} />}
      {snapshot.status === "loading" && <Spinner size="small" label={t("office.openingDocument")} />}
      {snapshot.status === "ready" && snapshot.partial && (
        <div role="status">
          <Spinner size="tiny" labelPosition="after" label={t("office.firstPagesShown")} />
        </div>
      )}
      {suggestions.length > 0 && (
        <section className={styles.suggestions} aria-label={t("office.suggestionsLabel")}>
          <Text weight="semibold">{t("office.suggestionCount", { count: suggestions.length })}</Text>
          {suggestions.map((suggestion) => {
            const text = suggestion.inserted || suggestion.deleted;
            return (
              <div key={suggestion.id} className={styles.suggestion} role="group" aria-label={t("office.suggestionLabel", { text })}>
                <Caption1 className={styles.suggestionText} title={text}>
                  {suggestion.deleted && <del>{suggestion.deleted}</del>} {suggestion.inserted && <ins>{suggestion.inserted}</ins>}
                </Caption1>
                <div className={styles.suggestionButtons}>
                  <Button
                    size="small"
                    icon={<CheckmarkRegular />}
                    ref={(button: HTMLButtonElement | null) => {
                      if (button) acceptButtons.current.set(suggestion.id, button);
                      else acceptButtons.current.delete(suggestion.id);
                    }}
                    onClick={() => resolve(suggestion.id, true)}
                  >
                    {t("office.acceptSuggestion")}
                  </Button>
                  <Button size="small" icon={<DismissRegular />} onClick={() => resolve(suggestion.id, false)}>
                    {t("office.rejectSuggestion")}
                  </Button>
                </div>
              </div>
            );
          })}
        </section>
      )}
      {snapshot.status !== "ready" && snapshot.status !== "loading" && (
        <div className={mergeClasses(styles.page, styles.empty, dragging && styles.dropTarget)}>
          <Text>{t("office.emptyPreview")}</Text>
        </div>
      )}
      <div
        ref={attach}
        className={mergeClasses(styles.page, dragging && styles.dropTarget, snapshot.status !== "ready" && styles.hidden)}
        role="document"
        tabIndex={0}
        aria-label={t("office.documentPreview")}
        data-testid="document-preview"
      />
    </section>
  );
}
