// Browser-tab mode: the person picks a .docx that stands for "the open document"; a readable
// preview of it sits where Word's page would be, and supports selecting and inserting text.
import { Button, Caption1, Spinner, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { CheckmarkRegular, DocumentAddRegular, DismissRegular } from "@fluentui/react-icons";
import { useCallback, useRef, useState, useSyncExternalStore, type DragEvent } from "react";
import type { BrowserHost } from "../office/browser-host";
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
  toolbar: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  page: {
    flexGrow: 1,
    minHeight: 0,
    overflowY: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow8,
    padding: "48px 56px",
    maxWidth: "816px",
    width: "100%",
    boxSizing: "border-box",
    alignSelf: "center",
    lineHeight: 1.5,
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
      fontSize: tokens.fontSizeBase100,
      color: tokens.colorNeutralForeground3,
    },
    "& a": { color: tokens.colorBrandForegroundLink },
    "& img": { maxWidth: "100%" },
  },
  dropTarget: { outline: `2px dashed ${tokens.colorBrandStroke1}` },
  suggestions: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, maxHeight: "30%", overflowY: "auto" },
  suggestion: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  suggestionText: { flexGrow: 1, minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  hidden: { display: "none" },
  empty: { textAlign: "center", padding: tokens.spacingVerticalXXL },
});

export function BrowserDocumentPanel({ host }: { host: BrowserHost }) {
  const styles = useStyles();
  const snapshot = useSyncExternalStore(host.subscribe, host.getSnapshot);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const attach = useCallback((el: HTMLDivElement | null) => host.attachPreview(el), [host]);

  const open = (file: File | undefined) => {
    if (file) void host.openFile(file).catch(() => undefined); // errors show through the snapshot
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    open(event.dataTransfer.files[0]);
  };

  return (
    <section
      className={styles.panel}
      aria-label="Document"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className={styles.toolbar}>
        <Text weight="semibold">{snapshot.status === "ready" ? snapshot.name : "No document open"}</Text>
        <Button icon={<DocumentAddRegular />} onClick={() => input.current?.click()}>
          {snapshot.status === "ready" ? "Open another .docx" : "Open a .docx"}
        </Button>
        {snapshot.status === "ready" && (
          <Button appearance="subtle" icon={<DismissRegular />} onClick={() => host.closeFile()}>
            Close
          </Button>
        )}
        <input
          ref={input}
          className={styles.hidden}
          type="file"
          aria-label="Choose a Word document"
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          onChange={(event) => {
            open(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        <Caption1>Browser mode: this file stands for the document open in Word.</Caption1>
      </div>
      {snapshot.error !== undefined && <ErrorMessage error={snapshot.error} title="Couldn't open that file" />}
      {snapshot.status === "loading" && <Spinner size="small" label="Opening the document…" />}
      {snapshot.status === "ready" && snapshot.partial && (
        <div role="status">
          <Spinner size="tiny" labelPosition="after" label="Showing the first pages; the rest of the document is on its way…" />
        </div>
      )}
      {snapshot.status === "ready" && snapshot.suggestions && snapshot.suggestions.length > 0 && (
        <section className={styles.suggestions} aria-label="Suggestions">
          <Text weight="semibold">
            {snapshot.suggestions.length === 1 ? "1 suggestion from Sidecar" : `${snapshot.suggestions.length} suggestions from Sidecar`}
          </Text>
          {snapshot.suggestions.map((suggestion) => (
            <div key={suggestion.id} className={styles.suggestion} role="group" aria-label={`Suggestion: ${suggestion.inserted || suggestion.deleted}`}>
              <Caption1 className={styles.suggestionText}>
                {suggestion.deleted && <del>{suggestion.deleted}</del>} {suggestion.inserted && <ins>{suggestion.inserted}</ins>}
              </Caption1>
              <Button size="small" icon={<CheckmarkRegular />} onClick={() => host.resolveSuggestion(suggestion.id, true)}>
                Accept
              </Button>
              <Button size="small" icon={<DismissRegular />} onClick={() => host.resolveSuggestion(suggestion.id, false)}>
                Reject
              </Button>
            </div>
          ))}
        </section>
      )}
      {snapshot.status !== "ready" && snapshot.status !== "loading" && (
        <div className={mergeClasses(styles.page, styles.empty, dragging && styles.dropTarget)}>
          <Text>Open a Word document (.docx), or drop one here, to use Sidecar without Word.</Text>
        </div>
      )}
      <div
        ref={attach}
        className={mergeClasses(styles.page, dragging && styles.dropTarget, snapshot.status !== "ready" && styles.hidden)}
        aria-label="Document preview"
        data-testid="document-preview"
      />
    </section>
  );
}
