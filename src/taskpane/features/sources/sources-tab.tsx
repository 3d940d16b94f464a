// The Sources tab: which Sidecar document is open, its sections in document order, and the
// passages each section was written from. Choosing a section moves Word's selection to its
// heading; selecting text in Word (debounced) moves the panel to the section that holds it.
import {
  Button,
  Caption1,
  Caption1Strong,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useApiClient } from "../../api/api-context";
import { isApiError } from "../../api/api-error";
import { useOpenDocumentId } from "../../api/open-document";
import { useUploadOpenDocument } from "../../api/upload-document";
import { rich, t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { navigation, useNavigationRequest, type CitedPassage, type SourcesRequest } from "../../ui/navigation";
import { SectionLabel } from "../../ui/section-label";
import { usePersistentState } from "../../ui/use-persistent-state";
import { occurrenceOf, sourcesKeys, useSections } from "./api/get-sections";
import { getSources, useSectionSources, type SectionSources, type Source } from "./api/get-sources";
import { bestMatches, isSentenceOrLess } from "./best-match";
import { SectionPicker } from "./section-picker";
import { SourceCard } from "./source-card";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", minWidth: 0 },
  // Text that may hold a long name without spaces (a cited document's title) wraps anywhere.
  wrap: { overflowWrap: "anywhere", minWidth: 0 },
});

/** How long after a selection change the panel looks it up (typing and dragging settle first). */
export const selectionDebounceMs = 400;

/**
 * The section shown, chosen in the dropdown or found from the person's selection (`text`; `behind`:
 * the passage ids the server says the selected sentences were written from, when it knows).
 */
type Focus = { sectionId: string; via: "section" } | { sectionId: string; via: "selection"; text: string; behind?: string[] };
type Lookup = { state: "looking" } | { state: "outside" } | { state: "error"; error: unknown };
/**
 * The selection lies in a section Sidecar wrote into the document (found by the content control
 * around it, whatever the heading says now): its sources are those of the generated document the
 * section came from; `behind` as in Focus.
 */
/** `{behind}`: the passages the server says the selected sentences were written from; {} when it doesn't say. */
function passagesBehind(result: SectionSources): { behind?: string[] } {
  const behind = result.selected_text_sources?.map((source) => source.passage_id).filter((id): id is string => !!id);
  return behind?.length ? { behind } : {};
}

type Written = { documentId: string; sectionId: string; title: string; text: string; behind?: string[] };

export function SourcesTab({ documentKey, hasDocument = true }: { documentKey: string; hasDocument?: boolean }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const openId = useOpenDocumentId(documentKey, hasDocument);
  // A chat citation may ask for a section of another Sidecar document than the open one (or
  // for one while no document is open at all: the browser tab before a document is picked).
  const request = useNavigationRequest();
  const [requested, setRequested] = useState<SourcesRequest | undefined>();
  // The passage a citation cites, shown above the section's recorded sources until the person moves on.
  const [cited, setCited] = useState<{ documentId: string; passage: CitedPassage } | undefined>();
  const [citedSelection, setCitedSelection] = useState<{ state: "done" | "missing" } | { state: "error"; error: unknown } | undefined>();
  // Focus goes to the cited passage when a citation brings the person here (the link they
  // clicked went away with the Chat tab); the heading takes it once it is on screen.
  const focusCited = useRef(false);
  const citedHeading = useCallback((heading: HTMLElement | null) => {
    if (!heading || !focusCited.current) return;
    focusCited.current = false;
    heading.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    if (!request?.sources) return;
    setRequested(request.sources);
    setCited(request.sources.cited ? { documentId: request.sources.documentId, passage: request.sources.cited } : undefined);
    focusCited.current = !!request.sources.cited;
    setCitedSelection(undefined);
    if (request.sources.sectionId) setFocus({ sectionId: request.sources.sectionId, via: "section" });
    navigation.set(null);
  }, [request]);
  // Compared as the answer comes, not when the request came: the open document's id may still be on its way.
  const viewing = requested && requested.documentId !== openId.data ? requested : undefined;
  const documentId = viewing?.documentId ?? openId.data ?? null;
  const isOpenDocument = !viewing;
  const sections = useSections(documentId);
  const [remembered, setRemembered] = usePersistentState<Record<string, string>>("sidecar.sources.section", {});
  const [focus, setFocus] = useState<Focus | undefined>(() =>
    documentId && remembered[documentId] ? { sectionId: remembered[documentId]!, via: "section" } : undefined,
  );
  const [lookup, setLookup] = useState<Lookup | undefined>();
  const [written, setWritten] = useState<Written | undefined>();
  const writtenSources = useSectionSources(written?.documentId, written?.sectionId);
  const upload = useUploadOpenDocument();
  const ignoreSelectionUntil = useRef(0);

  const list = sections.data ?? [];
  const known = focus && list.some((s) => s.section_id === focus.sectionId) ? focus : undefined;
  const current = known ?? (documentId && remembered[documentId] && list.some((s) => s.section_id === remembered[documentId]) ? { sectionId: remembered[documentId]!, via: "section" as const } : undefined);
  const section = list.find((s) => s.section_id === current?.sectionId);
  const sources = useSectionSources(documentId, section?.section_id);

  const show = (next: Focus) => {
    setFocus(next);
    if (documentId) setRemembered((previous) => ({ ...previous, [documentId]: next.sectionId }));
  };

  // Selecting text in the document moves the panel to the section that holds it: a section
  // Sidecar wrote in place first (by its content control), else the open document's section.
  useEffect(() => {
    if (!isOpenDocument || !hasDocument) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const unsubscribe = host.onSelectionChanged((change) => {
      if (change?.programmatic) return; // our own move to a heading, not the person's selection
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (Date.now() < ignoreSelectionUntil.current) return; // our own move to a heading
        const context = await host.getSelectedTextAndSection().catch(() => ({ text: "", writtenSection: undefined }));
        const text = context.text.trim();
        if (text.length < 3) return; // a cleared selection keeps the last section
        const inWritten = context.writtenSection;
        if (!inWritten && !documentId) return;
        controller?.abort();
        controller = new AbortController();
        setLookup({ state: "looking" });
        try {
          if (inWritten) {
            const { documentId: writtenId, sectionId, title } = inWritten;
            const result = await getSources(client, { documentId: writtenId, sectionId, selectedText: text.slice(0, 4000) }, controller.signal);
            queryClient.setQueryData(sourcesKeys.sources(writtenId, sectionId), { ...result, selected_text_sources: undefined });
            setLookup(undefined);
            setCited(undefined);
            setWritten({ documentId: writtenId, sectionId, title: result.section_title || title, text, ...passagesBehind(result) });
            return;
          }
          const result = await getSources(client, { documentId: documentId!, selectedText: text.slice(0, 4000) }, controller.signal);
          queryClient.setQueryData(sourcesKeys.sources(documentId!, result.section_id), result);
          setLookup(undefined);
          setCited(undefined);
          setWritten(undefined);
          show({ sectionId: result.section_id, via: "selection", text, ...passagesBehind(result) });
        } catch (error) {
          if (isApiError(error) && error.kind === "aborted") return;
          setWritten(undefined);
          setLookup(isApiError(error) && error.kind === "not_found" ? { state: "outside" } : { state: "error", error });
        }
      }, selectionDebounceMs);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
      controller?.abort();
    };
  }, [documentId, isOpenDocument, hasDocument, host, client, queryClient]); // eslint-disable-line react-hooks/exhaustive-deps

  // Uploading the open document from here: said once when it ends (the sections then load below).
  const startUpload = () =>
    upload.mutate(
      { signal: new AbortController().signal },
      {
        onSuccess: (uploaded) => announce(t("sources.announceUploaded", { name: uploaded.document_name })),
        onError: () => announce(t("sources.announceUploadFailed")),
      },
    );

  const choose = (sectionId: string) => {
    const chosen = list.find((s) => s.section_id === sectionId);
    if (!chosen) return;
    setLookup(undefined);
    setCited(undefined);
    setWritten(undefined);
    show({ sectionId, via: "section" });
    if (!isOpenDocument) return;
    ignoreSelectionUntil.current = Date.now() + selectionDebounceMs + 600;
    void host.goToHeading(chosen.section_title, occurrenceOf(list, sectionId)).catch(() => false);
  };

  if (openId.isLoading) return <Spinner size="small" label={t("sources.findingOpenDocument")} />;

  if (!documentId && !viewing && !hasDocument) return <Caption1>{t("sources.openADocument")}</Caption1>;

  const writtenBlock = written && !viewing && (
    <section className={styles.column} aria-labelledby="written-heading">
      <Text as="h2" id="written-heading" weight="semibold" size={400}>
        {t("sources.headingSelectedText")}
      </Text>
      <Caption1 className={styles.wrap}>{rich("sources.writtenInPlace", { section: <SectionLabel title={written.title} /> })}</Caption1>
      {writtenSources.isLoading && <Spinner size="small" label={t("sources.loadingSources")} />}
      {writtenSources.error && <ErrorMessage error={writtenSources.error} onRetry={() => writtenSources.refetch()} />}
      {writtenSources.data && writtenSources.data.sources.length === 0 && <Caption1>{t("sources.noSourcesRecorded")}</Caption1>}
      {writtenSources.data && <SectionSourceList sources={writtenSources.data.sources} selectedText={written.text} behind={written.behind} />}
    </section>
  );

  if (!documentId && !viewing) {
    return (
      <div className={styles.column}>
        {writtenBlock}
        {lookup?.state === "looking" && <Spinner size="tiny" label={t("sources.findingSelection")} />}
        {lookup?.state === "error" && <ErrorMessage error={lookup.error} title={t("sources.lookupFailed")} />}
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t("sources.notInSidecarTitle")}</MessageBarTitle>
            {t("sources.notInSidecarBody")}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" appearance="primary" disabled={upload.isPending} onClick={startUpload}>
              {t("sources.upload")}
            </Button>
          </MessageBarActions>
        </MessageBar>
        {upload.isPending && <Spinner size="tiny" label={t("sources.uploading")} />}
        {upload.error && <ErrorMessage error={upload.error} title={t("sources.uploadFailed")} />}
      </div>
    );
  }

  const heading = current?.via === "selection" ? t("sources.headingSelectedText") : t("sources.headingSection");

  return (
    <div className={styles.column}>
      {viewing && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody className={styles.wrap}>
            <MessageBarTitle>{t("sources.citedDocumentTitle")}</MessageBarTitle>
            {viewing.title
              ? t(hasDocument ? "sources.citedNamedNotOpen" : "sources.citedNamedNoDocument", { title: viewing.title })
              : t(hasDocument ? "sources.citedNotOpen" : "sources.citedNoDocument")}
          </MessageBarBody>
          {hasDocument && (
            <MessageBarActions>
              <Button
                size="small"
                onClick={() => {
                  setRequested(undefined);
                  setCited(undefined);
                }}
              >
                {t("sources.backToOpenDocument")}
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {cited && (
        <section className={styles.column} aria-labelledby="cited-heading">
          <Text as="h2" id="cited-heading" ref={citedHeading} tabIndex={-1} weight="semibold" size={400}>
            {t("sources.citedPassage", { number: cited.passage.number })}
          </Text>
          {cited.passage.sectionTitle && (
            <Caption1 className={styles.wrap}>{rich("sources.sectionCaption", { section: <SectionLabel title={cited.passage.sectionTitle} /> })}</Caption1>
          )}
          <SourceCard
            source={{
              document_source_id: cited.documentId,
              document_source_name: cited.passage.documentName ?? requested?.title ?? "",
              referenced_text: cited.passage.text,
              s3_key: cited.passage.s3Key,
              passage_id: cited.passage.passageId,
            }}
            index={cited.passage.number - 1}
          />
          {cited.documentId === openId.data && (
            <div className={styles.heading}>
              <Button
                size="small"
                onClick={() => {
                  setCitedSelection(undefined);
                  ignoreSelectionUntil.current = Date.now() + selectionDebounceMs + 600;
                  host.selectPassage(cited.passage.text).then(
                    (found) => setCitedSelection({ state: found ? "done" : "missing" }),
                    (error: unknown) => setCitedSelection({ state: "error", error }),
                  );
                }}
              >
                {t("sources.selectInDocument")}
              </Button>
              {citedSelection?.state === "done" && <Caption1 role="status">{t("sources.selectedInDocument")}</Caption1>}
            </div>
          )}
          {citedSelection?.state === "missing" && (
            <Caption1 role="status">{t("sources.passageMissing")}</Caption1>
          )}
          {citedSelection?.state === "error" && <ErrorMessage error={citedSelection.error} title={t("sources.selectFailed")} />}
        </section>
      )}
      {sections.isLoading && <Spinner size="small" label={t("sources.loadingSections")} />}
      {sections.error && (
        <ErrorMessage
          error={sections.error}
          title={isApiError(sections.error) && sections.error.kind === "not_found" ? t("sources.notOnServer") : undefined}
          onRetry={() => sections.refetch()}
        />
      )}
      {sections.data && list.length === 0 && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t("sources.noSectionsTitle")}</MessageBarTitle>
            {t("sources.noSectionsBody")}
          </MessageBarBody>
        </MessageBar>
      )}
      {list.length > 0 && (
        <SectionPicker sections={list} chosen={section} onChoose={choose} />
      )}
      {list.length > 0 && !section && <Caption1>{t("sources.chooseHint")}</Caption1>}
      {lookup?.state === "looking" && <Spinner size="tiny" label={t("sources.findingSelection")} />}
      {lookup?.state === "outside" && <Caption1 role="status">{t("sources.selectionOutside")}</Caption1>}
      {lookup?.state === "error" && <ErrorMessage error={lookup.error} title={t("sources.lookupFailed")} />}
      {writtenBlock}
      {section && !writtenBlock && (
        <section className={styles.column} aria-labelledby="sources-heading">
          <div className={styles.heading}>
            <Text as="h2" id="sources-heading" weight="semibold" size={400}>
              {heading}
            </Text>
          </div>
          <Caption1 className={styles.wrap}>
            <SectionLabel title={section.section_title} />
          </Caption1>
          {sources.isLoading && <Spinner size="small" label={t("sources.loadingSources")} />}
          {sources.error && <ErrorMessage error={sources.error} onRetry={() => sources.refetch()} />}
          {sources.data && sources.data.sources.length === 0 && (
            <Caption1>
              {cited ? t("sources.citedIsTheSource") : t("sources.noSourcesGenerated")}
            </Caption1>
          )}
          {sources.data && (
            <SectionSourceList
              sources={sources.data.sources}
              selectedText={current?.via === "selection" ? current.text : undefined}
              behind={current?.via === "selection" ? current.behind : undefined}
            />
          )}
        </section>
      )}
    </div>
  );
}

/**
 * A section's sources. When the server knows which passages the selected sentences were written
 * from (`behind`), those come first under "Written from"; else, for a selection of a sentence or
 * less, the passage(s) it best matches come first under "Best match for your selection"; then the
 * rest. Otherwise the server's order.
 */
function SectionSourceList({ sources, selectedText, behind }: { sources: Source[]; selectedText: string | undefined; behind: string[] | undefined }) {
  const styles = useStyles();
  const split = useMemo(() => {
    if (behind?.length) {
      const known = new Set(behind);
      const best = sources.flatMap((source, position) => (source.passage_id && known.has(source.passage_id) ? [position] : []));
      if (best.length > 0) return { best, rest: sources.flatMap((_, position) => (best.includes(position) ? [] : [position])), exact: true };
    }
    if (!selectedText || !isSentenceOrLess(selectedText)) return undefined;
    const matched = bestMatches(sources.map((source) => source.referenced_text), selectedText);
    return matched && { ...matched, exact: false };
  }, [sources, selectedText, behind]);
  const card = (source: Source, index: number, position: number) => (
    <SourceCard key={`${source.document_source_id}-${source.passage_id ?? position}`} source={source} index={index} />
  );
  if (!split) return <>{sources.map((source, index) => card(source, index, index))}</>;
  return (
    <>
      <section className={styles.column} aria-labelledby="best-match-heading">
        <Caption1Strong id="best-match-heading">{split.exact ? t("sources.writtenFrom") : t("sources.bestMatch")}</Caption1Strong>
        {split.best.map((position, index) => card(sources[position]!, index, position))}
      </section>
      {split.rest.length > 0 && (
        <section className={styles.column} aria-labelledby="other-sources-heading">
          <Caption1Strong id="other-sources-heading">{t("sources.otherSources")}</Caption1Strong>
          {split.rest.map((position, index) => card(sources[position]!, split.best.length + index, position))}
        </section>
      )}
    </>
  );
}
