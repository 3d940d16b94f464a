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
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useCreateDocumentSet } from "./api/create-document-set";
import { useGenerateDocument } from "./api/generate-document";
import { getDocument } from "./api/get-document";
import { useDocumentSets } from "./api/get-document-sets";
import { useTemplates } from "./api/get-templates";
import { useTemplateFromOpenDocument } from "./api/template-from-document";
import { WriteSections } from "../write/write-sections";
import { defaultOutputName, recentGenerations } from "./recent-generations";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap" },
  grow: { flexGrow: 1, minWidth: "140px" },
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
      ? "Choose a template."
      : !documentSet
        ? "Choose a document set, or create one."
        : chosen.length === 0
          ? "Choose at least one source document. Upload this document first if it should be a source."
          : !outputName
            ? "Give the new document a name."
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
        const isNew = recentGenerations().track({ taskId: task_id, outputName, templateName: template.template_name, startedAt: Date.now(), request });
        if (!isNew) setNotice(`"${outputName}" was generated before; it is in the list below. Change the name to make a new document.`);
        update({ outputName: defaultOutputName(template.template_name), instructions: "" });
      },
    });
  };

  const loading = templates.isLoading || sets.isLoading || documents.isLoading;
  const loadError = templates.error ?? sets.error ?? documents.error;

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Generate a document" noValidate>
      {loading && <Spinner size="small" label="Loading templates and documents…" />}
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
      <Field label="Template" required>
        <Dropdown
          placeholder="Choose a template"
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
          Use this document's headings
        </Button>
        {fromDocument.isPending && <Spinner size="tiny" label="Reading the document's headings…" />}
        {fromDocument.isSuccess && !fromDocument.isPending && template?.template_id === fromDocument.data.template_id && (
          <Caption1 role="status">Its headings are the template now: write each section under its heading.</Caption1>
        )}
      </div>
      {fromDocument.error && <ErrorMessage error={fromDocument.error} title="Couldn't use this document's headings" />}
      {template && (
        <div>
          <Caption1>
            {template.document_type} · {template.sections.length} sections
          </Caption1>
          <WriteSections sections={template.sections} prepare={prepare} />
        </div>
      )}
      <Field label="Document set" required>
        <Dropdown
          placeholder="Choose a document set"
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
        <Field label="New document set" className={styles.grow}>
          <Input value={newSetName} onChange={(_, data) => setNewSetName(data.value)} placeholder="Name" />
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
          Create
        </Button>
      </div>
      {createSet.error && <ErrorMessage error={createSet.error} title="Couldn't create the document set" />}
      {/* A group of checkboxes, not a Field: Field gives its one control id to every child. */}
      <div className={styles.group}>
        <Label id="source-documents-label">Source documents</Label>
        <div className={styles.sources} role="group" aria-labelledby="source-documents-label" aria-describedby="source-documents-hint">
          {available.length === 0 && !documents.isLoading && <Caption1>No documents yet: upload this document on the Documents tab.</Caption1>}
          {available.map((d) => (
            <Checkbox
              key={d.document_id}
              label={d.document_name + (d.document_id === openDocumentId.data ? " (this document)" : "")}
              checked={draft.sourceIds.includes(d.document_id)}
              onChange={(_, data) => toggleSource(d.document_id, data.checked === true)}
            />
          ))}
        </div>
        <ShowMore query={documents} what="documents" />
        <Caption1 id="source-documents-hint">{draft.sourceIds.length} chosen (at least one)</Caption1>
      </div>
      <Field label="Name of the new document" required hint=".docx is added">
        {/* Until the first template is chosen, its name is about to be put here: typing now
            would end up after it. */}
        <Input value={draft.outputName} disabled={templates.isLoading || (!draft.templateId && !!templates.data?.length)} onChange={(_, data) => update({ outputName: data.value })} />
      </Field>
      <Field label="Instructions" hint="Optional: what the whole document should focus on.">
        <Textarea value={draft.instructions} onChange={(_, data) => update({ instructions: data.value })} resize="vertical" />
      </Field>
      {problem && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {resolving !== undefined && <ErrorMessage error={resolving} title="Couldn't look up the source documents" />}
      {generate.error && <ErrorMessage error={generate.error} title="Generation was not started" />}
      {notice && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={generate.isPending || loading}>
          Generate
        </Button>
        {generate.isPending && <Spinner size="tiny" label="Starting…" />}
        {!template && !loading && <Text size={200}>No templates on this server yet.</Text>}
      </div>
    </form>
  );
}
