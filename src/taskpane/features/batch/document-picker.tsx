// Choosing what to tag: the organization's documents with checkboxes, a filter by name, "Select
// all" (of the shown ones, tri-state), the number of tags and words to leave out, and Start. The
// choice and the options survive closing the pane; a refused start keeps all of them.
import { Button, Caption1, Checkbox, Field, Input, Spinner, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { SearchRegular, TagMultipleRegular } from "@fluentui/react-icons";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useDocuments } from "../../api/get-documents";
import { t } from "../../i18n";
import { ShowMore } from "../../ui/show-more";
import { writeJson } from "../../api/local-store";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useStartBatch, type StartBatchInput } from "./api/start-batch";
import {
  defaultTaggingOptions,
  maxTags,
  minTags,
  optionsKey,
  parseExclusionWords,
  parseNumTags,
  selectionKey,
  type TaggingOptions,
} from "./followed-job";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  list: {
    display: "flex",
    flexDirection: "column",
    maxHeight: "260px",
    overflowY: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
  },
  item: { display: "flex", flexDirection: "column", minWidth: 0 },
  // A long document name is cut with "…" on one line; its full name is in the title (and the checkbox's name).
  checkbox: { maxWidth: "100%", minWidth: 0 },
  checkboxLabel: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  currentTags: {
    color: tokens.colorNeutralForeground3,
    paddingLeft: tokens.spacingHorizontalXXL,
    marginTop: `calc(-1 * ${tokens.spacingVerticalXS})`,
    overflowWrap: "anywhere",
  },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  muted: { color: tokens.colorNeutralForeground3 },
  wide: { width: "100%", minWidth: 0 },
  wrap: { overflowWrap: "anywhere" },
  // Focused after leaving a job: a ring only when the keyboard brought it there.
  heading: {
    ":focus": { outlineStyle: "none" },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, borderRadius: tokens.borderRadiusMedium },
  },
});

export function DocumentPicker({
  onStarted,
  focusOnMount = false,
}: {
  onStarted: (job: { jobId: string; titles: string[] }) => void;
  /** Shown after the person left a job ("Tag more documents", "Stop following"): focus comes here. */
  focusOnMount?: boolean;
}) {
  const styles = useStyles();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const documents = useDocuments();
  const start = useStartBatch();
  const [selection, setSelection] = usePersistentState<string[]>(selectionKey, []);
  const [options, setOptions] = usePersistentState<TaggingOptions>(optionsKey, defaultTaggingOptions);
  const [filter, setFilter] = useState("");

  // Documents still being generated have no file to read yet.
  const available = useMemo(() => (documents.data ?? []).filter((d) => d.status === undefined || d.status === "Ready"), [documents.data]);
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => (needle ? available.filter((d) => d.document_name.toLowerCase().includes(needle)) : available), [available, needle]);
  const selected = useMemo(() => new Set(selection), [selection]);
  const chosen = available.filter((d) => selected.has(d.document_id));
  const shownChosen = shown.filter((d) => selected.has(d.document_id)).length;
  const hiddenChosen = chosen.length - shownChosen;
  const allState: boolean | "mixed" = shown.length > 0 && shownChosen === shown.length ? true : shownChosen > 0 ? "mixed" : false;

  const numTags = parseNumTags(options.numTags);
  const numTagsProblem = "problem" in numTags ? numTags.problem : undefined;
  const blocked = chosen.length === 0 ? t("batch.chooseDocument") : numTagsProblem ? t("batch.fixNumTags") : undefined;

  const toggle = (id: string, checked: boolean) =>
    setSelection((previous) => (checked ? [...new Set([...previous, id])] : previous.filter((s) => s !== id)));
  const toggleAll = () => {
    const ids = new Set(shown.map((d) => d.document_id));
    setSelection((previous) => (allState === true ? previous.filter((id) => !ids.has(id)) : [...new Set([...previous, ...ids])]));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (blocked || !("value" in numTags) || start.isPending) return;
    const request: StartBatchInput = {
      documents: chosen.map((d) => ({ title: d.document_name, s3_key: d.s3_key })),
      config: { num_tags: numTags.value, exclusion_words: parseExclusionWords(options.exclusionWords) },
    };
    start.mutate(request, {
      onSuccess: ({ job_id }) => {
        // Written at once: the picker goes away in this same update, before a state updater would run.
        writeJson(selectionKey, []);
        setSelection([]);
        onStarted({ jobId: job_id, titles: request.documents.map((d) => d.title) });
      },
    });
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label={t("batch.tagDocuments")} noValidate>
      <Text as="h2" id="batch-documents-heading" weight="semibold" size={400} ref={heading} tabIndex={-1} className={styles.heading}>
        {t("batch.tagDocuments")}
      </Text>
      <Caption1 className={styles.muted}>{t("batch.intro")}</Caption1>
      {documents.isLoading && <Spinner size="small" label={t("batch.loadingDocuments")} />}
      {documents.error && <ErrorMessage error={documents.error} title={t("batch.documentsError")} onRetry={() => void documents.refetch()} />}
      {documents.data && available.length === 0 && <Caption1>{t("batch.noDocuments")}</Caption1>}
      {available.length > 0 && (
        /* A group of checkboxes, not a Field: Field gives its one control id to every child. */
        <div className={styles.group}>
          <Input
            type="search"
            className={styles.wide}
            aria-label={t("batch.filterLabel")}
            placeholder={t("batch.filterPlaceholder")}
            contentBefore={<SearchRegular aria-hidden />}
            value={filter}
            onChange={(_, data) => setFilter(data.value)}
            // Enter in the filter must not start tagging (it would submit the form).
            onKeyDown={(event) => {
              if (event.key === "Enter") event.preventDefault();
            }}
          />
          <Checkbox
            label={needle ? t("batch.selectAllShown", { count: shown.length }) : t("batch.selectAll")}
            checked={allState}
            disabled={shown.length === 0}
            onChange={toggleAll}
          />
          <div className={styles.list} role="group" aria-labelledby="batch-documents-heading" aria-describedby="batch-selected-count">
            {shown.length === 0 && <Caption1 className={styles.wrap}>{t("batch.noMatch", { filter: filter.trim() })}</Caption1>}
            {shown.map((d) => (
              <div key={d.document_id} className={styles.item}>
                <Checkbox
                  className={styles.checkbox}
                  label={{ children: d.document_name, title: d.document_name, className: styles.checkboxLabel }}
                  checked={selected.has(d.document_id)}
                  onChange={(_, data) => toggle(d.document_id, data.checked === true)}
                />
                {d.tags && d.tags.length > 0 && <Caption1 className={styles.currentTags}>{t("batch.tagsNow", { tags: d.tags.join(", ") })}</Caption1>}
              </div>
            ))}
          </div>
          <ShowMore query={documents} what={t("batch.showMoreWhat")} />
          <Caption1 id="batch-selected-count" aria-live="polite">
            {t("batch.selectedCount", { chosen: chosen.length, available: available.length, hidden: hiddenChosen })}
          </Caption1>
        </div>
      )}
      <Field
        label={t("batch.numTags")}
        hint={t("batch.numTagsHint", { min: minTags, max: maxTags })}
        validationState={numTagsProblem ? "error" : "none"}
        validationMessage={numTagsProblem}
      >
        <Input
          type="number"
          min={minTags}
          max={maxTags}
          step={1}
          value={options.numTags}
          onChange={(_, data) => setOptions((previous) => ({ ...previous, numTags: data.value }))}
        />
      </Field>
      <Field label={t("batch.exclusionWords")} hint={t("batch.exclusionWordsHint")}>
        <Textarea
          value={options.exclusionWords}
          onChange={(_, data) => setOptions((previous) => ({ ...previous, exclusionWords: data.value }))}
          resize="vertical"
        />
      </Field>
      {start.error && <ErrorMessage error={start.error} title={t("batch.startError")} />}
      <div className={styles.row}>
        <Button
          appearance="primary"
          type="submit"
          icon={<TagMultipleRegular />}
          disabled={!!blocked || start.isPending}
          aria-describedby={blocked ? "batch-start-reason" : undefined}
        >
          {t("batch.start", { count: chosen.length })}
        </Button>
        {start.isPending && <Spinner size="tiny" label={t("batch.starting")} />}
        {blocked && !start.isPending && (
          <Caption1 id="batch-start-reason" className={styles.muted}>
            {blocked}
          </Caption1>
        )}
      </div>
    </form>
  );
}
