// The Generate view's form: template (with its sections), document set (pick or create), source
// documents (the open one preselected when it was uploaded), output name, instructions. What the
// person chose survives closing and reopening the pane.
import {
  Button,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Label,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useApiClient } from "../../api/api-context";
import { useDocuments, type DocumentSummary } from "../../api/get-documents";
import { ShowMore } from "../../ui/show-more";
import type { HttpClient } from "../../api/http-client";
import { useOpenDocumentId } from "../../api/open-document";
import type { GenerateRequest } from "../../../shared/wire/documents";
import { rich, t } from "../../i18n";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useCreateDocumentSet } from "./api/create-document-set";
import { useGenerateDocument } from "./api/generate-document";
import { getDocument } from "./api/get-document";
import { useDocumentSets } from "./api/get-document-sets";
import { useTemplates } from "./api/get-templates";
import { useTemplateFromOpenDocument } from "./api/template-from-document";
import { WriteSections } from "../write/write-sections";
import { defaultOutputName, focusWhenShown, noteStartedHere, recentGenerations } from "./recent-generations";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap", minWidth: 0 },
  grow: { flexGrow: 1, flexBasis: "140px", minWidth: 0 },
  // Fluent's Dropdown is at least 250 px wide: here it takes the pane's width, however narrow.
  dropdown: { width: "100%", minWidth: 0 },
  dropdownButton: { minWidth: 0, overflow: "hidden" },
  input: { width: "100%", minWidth: 0 },
  // A long name keeps to one line with an ellipsis; the whole name is its title (and the accessible name).
  truncate: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  sourceItem: { maxWidth: "100%", minWidth: 0 },
  sourceLabel: { display: "flex", minWidth: 0, whiteSpace: "nowrap" },
  sourceName: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis" },
  sources: {
    display: "flex",
    flexDirection: "column",
    maxHeight: "220px",
    overflowY: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
  },
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
});

interface Draft {
  templateId: string;
  documentSetId: string;
  sourceIds: string[];
  outputName: string;
  instructions: string;
}

const emptyDraft: Draft = { templateId: "", documentSetId: "", sourceIds: [], outputName: "", instructions: "" };

/** The s3_key of each chosen document: from the list when the server gives it, else from the document. */
async function sourceKeys(client: HttpClient, chosen: DocumentSummary[]): Promise<string[]> {
  return Promise.all(chosen.map(async (doc) => doc.s3_key ?? (await getDocument(client, doc.document_id)).s3_key));
}

export function GenerateForm({ documentKey, hasDocument = true }: { documentKey: string; hasDocument?: boolean }) {
  const styles = useStyles();
  const client = useApiClient();
  const templates = useTemplates();
  const sets = useDocumentSets();
  const documents = useDocuments();
  const createSet = useCreateDocumentSet();
  const generate = useGenerateDocument();
  const fromDocument = useTemplateFromOpenDocument();
  const [draft, setDraft] = usePersistentState<Draft>("sidecar.generate-draft", emptyDraft);
  const [newSetName, setNewSetName] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [resolving, setResolving] = useState<unknown>();
  const update = (patch: Partial<Draft>) => setDraft((previous) => ({ ...previous, ...patch }));
  /** A Dropdown's button: the chosen name on one line, cut with an ellipsis, the whole of it in its title. */
  const truncatedValue = (value: string | undefined, placeholder: string) => ({
    className: styles.dropdownButton,
    title: value || undefined,
    children: <span className={styles.truncate}>{value || placeholder}</span>,
  });

  // The open document's Sidecar id (set when it was uploaded), to preselect it as a source.
  const openDocumentId = useOpenDocumentId(documentKey);

  const template = templates.data?.find((t) => t.template_id === draft.templateId);
  const documentSet = sets.data?.find((s) => s.document_set_id === draft.documentSetId);
  const available = useMemo(() => (documents.data ?? []).filter((d) => d.status === undefined || d.status === "Ready"), [documents.data]);

  // Sensible defaults once the lists arrive: first template, first set, the open document.
  // Read from the latest draft, not this render's: a name typed between the templates arriving and
  // this effect running is kept.
  useEffect(() => {
    const first = templates.data?.[0];
    if (!first) return;
    setDraft((previous) =>
      previous.templateId ? previous : { ...previous, templateId: first.template_id, outputName: previous.outputName || defaultOutputName(first.template_name) },
    );
  }, [templates.data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if ((!draft.documentSetId || (sets.data && !documentSet)) && sets.data?.[0]) update({ documentSetId: sets.data[0].document_set_id });
  }, [sets.data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const id = openDocumentId.data;
    if (id && draft.sourceIds.length === 0 && available.some((d) => d.document_id === id)) update({ sourceIds: [id] });
  }, [openDocumentId.data, available]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggleSource = (id: string, checked: boolean) =>
    update({ sourceIds: checked ? [...new Set([...draft.sourceIds, id])] : draft.sourceIds.filter((s) => s !== id) });

  /**
   * The generation request as the form stands, or undefined (the form then says what is missing,
   * or why the sources couldn't be looked up). Until the lists have arrived nothing is chosen yet
   * (the first template and set are chosen for the person when they do): wait rather than ask for
   * a choice that is about to be made.
   */
  const prepare = async (): Promise<GenerateRequest | undefined> => {
    if (loading) return undefined;
    setNotice(undefined);
    const chosen = available.filter((d) => draft.sourceIds.includes(d.document_id));
    const outputName = draft.outputName.trim().replace(/\.docx$/i, "");
    const missing = !template
      ? t("generate.missingTemplate")
      : !documentSet
        ? t("generate.missingDocumentSet")
        : chosen.length === 0
          ? t("generate.missingSources")
          : !outputName
            ? t("generate.missingName")
            : undefined;
    setProblem(missing);
    if (missing || !template || !documentSet) return undefined;
    setResolving(undefined);
    let filePaths: string[];
    try {
      filePaths = await sourceKeys(client, chosen);
    } catch (error) {
      setResolving(error);
      return undefined;
    }
    return {
      document_type: template.document_type,
      file_paths: filePaths,
      connector_data_id: documentSet.document_set_id,
      workspace_name: documentSet.document_set_name,
      template_id: template.template_id,
      output_name: outputName,
      document_instructions: draft.instructions.trim() || null,
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = await prepare();
    if (!request || !template) return;
    const outputName = request.output_name;
    generate.mutate(request, {
      onSuccess: ({ task_id }) => {
        const started = { taskId: task_id, outputName, templateName: template.template_name, startedAt: Date.now(), request };
        noteStartedHere(started);
        // Its card (new, or the one already in the list) comes into view under the form and takes the focus.
        focusWhenShown(task_id);
        const isNew = recentGenerations().track(started);
        if (!isNew) {
          const words = t("generate.generatedBefore", { name: outputName });
          setNotice(words);
          // The focus is on the card: the note above it is said as well.
          announce(words);
        }
        update({ outputName: defaultOutputName(template.template_name), instructions: "" });
      },
    });
  };

  const loading = templates.isLoading || sets.isLoading || documents.isLoading;
  const loadError = templates.error ?? sets.error ?? documents.error;

  return (
    <form className={styles.form} onSubmit={submit} aria-label={t("generate.formLabel")} noValidate>
      {loading && <Spinner size="small" label={t("generate.loading")} />}
      {loadError && (
        <ErrorMessage
          error={loadError}
          onRetry={() => {
            void templates.refetch();
            void sets.refetch();
            void documents.refetch();
          }}
        />
      )}
      <Field label={t("generate.template")} required>
        <Dropdown
          className={styles.dropdown}
          button={truncatedValue(template?.template_name, t("generate.chooseTemplate"))}
          clearButton={{ "aria-label": t("generate.clearSelection") }}
          placeholder={t("generate.chooseTemplate")}
          value={template?.template_name ?? ""}
          selectedOptions={template ? [template.template_id] : []}
          onOptionSelect={(_, data) => {
            const next = templates.data?.find((t) => t.template_id === data.optionValue);
            if (next) update({ templateId: next.template_id, outputName: defaultOutputName(next.template_name) });
          }}
        >
          {(templates.data ?? []).map((t) => (
            <Option key={t.template_id} value={t.template_id} text={t.template_name}>
              {t.template_name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.row}>
        <Button
          size="small"
          disabled={!hasDocument || fromDocument.isPending}
          onClick={() =>
            fromDocument.mutate(undefined, {
              onSuccess: (made) => update({ templateId: made.template_id, outputName: draft.outputName || defaultOutputName(made.template_name) }),
            })
          }
        >
          {t("generate.useHeadings")}
        </Button>
        {fromDocument.isPending && <Spinner size="tiny" label={t("generate.readingHeadings")} />}
        {fromDocument.isSuccess && !fromDocument.isPending && template?.template_id === fromDocument.data.template_id && (
          <Caption1 role="status">{t("generate.headingsAreTemplate")}</Caption1>
        )}
      </div>
      {fromDocument.error && <ErrorMessage error={fromDocument.error} title={t("generate.useHeadingsFailed")} />}
      {template && (
        <div>
          <Caption1>{t("generate.templateSummary", { type: template.document_type, count: template.sections.length })}</Caption1>
          <WriteSections sections={template.sections} prepare={prepare} />
        </div>
      )}
      <Field label={t("generate.documentSet")} required>
        <Dropdown
          className={styles.dropdown}
          button={truncatedValue(documentSet?.document_set_name, t("generate.chooseDocumentSet"))}
          clearButton={{ "aria-label": t("generate.clearSelection") }}
          placeholder={t("generate.chooseDocumentSet")}
          value={documentSet?.document_set_name ?? ""}
          selectedOptions={documentSet ? [documentSet.document_set_id] : []}
          onOptionSelect={(_, data) => update({ documentSetId: data.optionValue ?? "" })}
        >
          {(sets.data ?? []).map((s) => (
            <Option key={s.document_set_id} value={s.document_set_id} text={s.document_set_name}>
              {s.document_set_name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.row}>
        <Field label={t("generate.newDocumentSet")} className={styles.grow}>
          <Input className={styles.input} value={newSetName} onChange={(_, data) => setNewSetName(data.value)} placeholder={t("generate.newDocumentSetPlaceholder")} />
        </Field>
        <Button
          disabled={!newSetName.trim() || createSet.isPending}
          onClick={() =>
            createSet.mutate(newSetName, {
              onSuccess: (set) => {
                update({ documentSetId: set.document_set_id });
                setNewSetName("");
              },
            })
          }
        >
          {t("generate.createDocumentSet")}
        </Button>
      </div>
      {createSet.error && <ErrorMessage error={createSet.error} title={t("generate.createDocumentSetFailed")} />}
      {/* A group of checkboxes, not a Field: Field gives its one control id to every child. */}
      <div className={styles.group}>
        <Label id="source-documents-label">{t("generate.sourceDocuments")}</Label>
        <div className={styles.sources} role="group" aria-labelledby="source-documents-label" aria-describedby="source-documents-hint">
          {available.length === 0 && !documents.isLoading && <Caption1>{t("generate.noDocuments")}</Caption1>}
          {available.map((d) => (
            <Checkbox
              key={d.document_id}
              className={styles.sourceItem}
              label={{
                className: styles.sourceLabel,
                title: d.document_name,
                children:
                  d.document_id === openDocumentId.data ? (
                    rich("generate.thisDocument", { name: d.document_name, doc: (chunks) => <span className={styles.sourceName}>{chunks}</span> })
                  ) : (
                    <span className={styles.sourceName}>{d.document_name}</span>
                  ),
              }}
              checked={draft.sourceIds.includes(d.document_id)}
              onChange={(_, data) => toggleSource(d.document_id, data.checked === true)}
            />
          ))}
        </div>
        <ShowMore query={documents} what={t("generate.moreWhat")} />
        <Caption1 id="source-documents-hint">{t("generate.sourcesChosen", { count: draft.sourceIds.length })}</Caption1>
      </div>
      <Field label={t("generate.outputName")} required hint={t("generate.outputNameHint")}>
        {/* Until the first template is chosen, its name is about to be put here: typing now
            would end up after it. */}
        <Input className={styles.input} value={draft.outputName} disabled={templates.isLoading || (!draft.templateId && !!templates.data?.length)} onChange={(_, data) => update({ outputName: data.value })} />
      </Field>
      <Field label={t("generate.instructions")} hint={t("generate.instructionsHint")}>
        <Textarea value={draft.instructions} onChange={(_, data) => update({ instructions: data.value })} resize="vertical" />
      </Field>
      {problem && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {resolving !== undefined && <ErrorMessage error={resolving} title={t("generate.lookUpSourcesFailed")} />}
      {generate.error && <ErrorMessage error={generate.error} title={t("generate.notStarted")} />}
      {notice && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={generate.isPending || loading}>
          {t("generate.generate")}
        </Button>
        {generate.isPending && <Spinner size="tiny" label={t("generate.starting")} />}
        {!template && !loading && <Text size={200}>{t("generate.noTemplates")}</Text>}
      </div>
    </form>
  );
}
