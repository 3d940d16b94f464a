// Choosing what to tag: the organization's documents with checkboxes, a filter by name, "Select
// all" (of the shown ones, tri-state), the number of tags and words to leave out, and Start. The
// choice and the options survive closing the pane; a refused start keeps all of them.
import { Button, Caption1, Checkbox, Field, Input, Spinner, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { SearchRegular, TagMultipleRegular } from "@fluentui/react-icons";
import { useMemo, useState, type FormEvent } from "react";
import { useDocuments } from "../../api/get-documents";
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
  item: { display: "flex", flexDirection: "column" },
  currentTags: { color: tokens.colorNeutralForeground3, paddingLeft: tokens.spacingHorizontalXXL, marginTop: `calc(-1 * ${tokens.spacingVerticalXS})` },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function DocumentPicker({ onStarted }: { onStarted: (job: { jobId: string; titles: string[] }) => void }) {
  const styles = useStyles();
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
  const blocked = chosen.length === 0 ? "Choose at least one document to tag." : numTagsProblem ? "Fix the number of tags first." : undefined;

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
    <form className={styles.form} onSubmit={submit} aria-label="Tag documents" noValidate>
      <Text as="h2" id="batch-documents-heading" weight="semibold" size={400}>
        Tag documents
      </Text>
      <Caption1 className={styles.muted}>Sidecar reads each chosen document and gives it keywords that set it apart from your other documents.</Caption1>
      {documents.isLoading && <Spinner size="small" label="Loading documents…" />}
      {documents.error && <ErrorMessage error={documents.error} title="Couldn't load your documents" onRetry={() => void documents.refetch()} />}
      {documents.data && available.length === 0 && (
        <Caption1>No documents to tag yet. Upload documents on the Documents tab, then come back here.</Caption1>
      )}
      {available.length > 0 && (
        /* A group of checkboxes, not a Field: Field gives its one control id to every child. */
        <div className={styles.group}>
          <Input
            type="search"
            aria-label="Filter documents by name"
            placeholder="Filter by name"
            contentBefore={<SearchRegular aria-hidden />}
            value={filter}
            onChange={(_, data) => setFilter(data.value)}
            // Enter in the filter must not start tagging (it would submit the form).
            onKeyDown={(event) => {
              if (event.key === "Enter") event.preventDefault();
            }}
          />
          <Checkbox
            label={needle ? `Select all ${shown.length} shown` : "Select all"}
            checked={allState}
            disabled={shown.length === 0}
            onChange={toggleAll}
          />
          <div className={styles.list} role="group" aria-labelledby="batch-documents-heading" aria-describedby="batch-selected-count">
            {shown.length === 0 && <Caption1>No document names contain “{filter.trim()}”.</Caption1>}
            {shown.map((d) => (
              <div key={d.document_id} className={styles.item}>
                <Checkbox label={d.document_name} checked={selected.has(d.document_id)} onChange={(_, data) => toggle(d.document_id, data.checked === true)} />
                {d.tags && d.tags.length > 0 && <Caption1 className={styles.currentTags}>Tags now: {d.tags.join(", ")}</Caption1>}
              </div>
            ))}
          </div>
          <ShowMore query={documents} what="documents" />
          <Caption1 id="batch-selected-count" aria-live="polite">
            {chosen.length} of {available.length} selected
            {hiddenChosen > 0 ? ` (${hiddenChosen} hidden by the filter)` : ""}
          </Caption1>
        </div>
      )}
      <Field
        label="Number of tags"
        hint={`For each document, ${minTags} to ${maxTags}.`}
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
      <Field label="Words to leave out" hint="Separate them with commas or new lines. They never become tags.">
        <Textarea
          value={options.exclusionWords}
          onChange={(_, data) => setOptions((previous) => ({ ...previous, exclusionWords: data.value }))}
          resize="vertical"
        />
      </Field>
      {start.error && <ErrorMessage error={start.error} title="Tagging was not started" />}
      <div className={styles.row}>
        <Button
          appearance="primary"
          type="submit"
          icon={<TagMultipleRegular />}
          disabled={!!blocked || start.isPending}
          aria-describedby={blocked ? "batch-start-reason" : undefined}
        >
          {chosen.length > 0 ? `Start tagging ${chosen.length} ${chosen.length === 1 ? "document" : "documents"}` : "Start tagging"}
        </Button>
        {start.isPending && <Spinner size="tiny" label="Starting…" />}
        {blocked && !start.isPending && (
          <Caption1 id="batch-start-reason" className={styles.muted}>
            {blocked}
          </Caption1>
        )}
      </div>
    </form>
  );
}
