// The template's sections on the Generate tab, each with "Write" to write it into the open
// document under its heading, and "Write all sections" to do them in turn: a status per section,
// overall progress, and Stop. Sections Sidecar wrote into the document before are marked, and are
// only replaced when the person says so. What is written goes in as tracked changes ("As tracked
// changes": on by default in Word, off in the browser tab, whose preview shows them too).
import {
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import { useApiClient } from "../../api/api-context";
import type { WrittenPlace } from "../../office/document-host";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { SectionLabel } from "../../ui/section-label";
import { usePersistentState } from "../../ui/use-persistent-state";
import type { GenerateRequest } from "../../../shared/wire/documents";
import { writeSections, type SectionStage, type TemplateSection } from "./write-in-place";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  item: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  name: { flexGrow: 1, minWidth: "120px" },
  status: { color: tokens.colorNeutralForeground3 },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

const placeWords: Record<WrittenPlace, string> = {
  "under-heading": "Written under its heading",
  "at-cursor": "Written at the cursor (no heading with this title)",
  replaced: "Replaced what Sidecar wrote before",
};

/** Words for a section's stage, as the list shows them. */
export function stageWords(stage: SectionStage | undefined, suggest: boolean): string | undefined {
  switch (stage?.state) {
    case undefined:
      return undefined;
    case "waiting":
      return "Waiting";
    case "asking":
      return "Asking the documents service…";
    case "generating":
      return stage.reconnecting
        ? "Reconnecting…"
        : stage.status === "Pending"
          ? "Queued"
          : stage.status === "Ingesting"
            ? "Reading sources…"
            : `Writing…${stage.progress !== null ? ` ${Math.round(stage.progress)}%` : ""}`;
    case "placing":
      return "Putting it into the document…";
    case "written":
      return placeWords[stage.place] + (suggest ? ", as tracked changes" : "");
    case "kept":
      return "Kept what was there";
    case "stopped":
      return "Stopped: not written";
    case "failed":
      return "Failed";
  }
}

const finished = (stage: SectionStage | undefined) => stage?.state === "written" || stage?.state === "kept" || stage?.state === "stopped" || stage?.state === "failed";

interface Question {
  section: TemplateSection;
  answer: (replace: boolean) => void;
}

export function WriteSections({
  sections,
  prepare,
}: {
  sections: readonly TemplateSection[];
  /** The generation request as the form stands, or undefined when the form says what is missing. */
  prepare: () => Promise<GenerateRequest | undefined>;
}) {
  const styles = useStyles();
  const client = useApiClient();
  const host = useDocumentHost();
  const [prefs, setPrefs] = usePersistentState<{ suggest?: boolean }>("sidecar.write.prefs", {});
  // On by default in Word; the browser tab's preview shows suggestions too, off unless turned on.
  const suggest = prefs.suggest ?? host.info.kind === "word";
  const [stages, setStages] = useState<Record<string, SectionStage>>({});
  const [runSections, setRunSections] = useState<readonly TemplateSection[]>([]);
  const [running, setRunning] = useState(false);
  const [question, setQuestion] = useState<Question | undefined>();
  const [written, setWritten] = useState<Set<string>>(new Set());
  const controller = useRef<AbortController | undefined>(undefined);
  const questionRef = useRef<HTMLDivElement>(null);

  const refreshWritten = useCallback(() => {
    host.getWrittenSections().then(
      (list) => setWritten(new Set(list.map((section) => section.sectionId))),
      () => setWritten(new Set()),
    );
  }, [host]);
  useEffect(() => {
    refreshWritten();
    return () => controller.current?.abort();
  }, [refreshWritten]);
  useEffect(() => {
    if (question) questionRef.current?.querySelector("button")?.focus();
  }, [question]);

  const start = async (chosen: readonly TemplateSection[]) => {
    if (running) return;
    const request = await prepare();
    if (!request) return;
    const abort = new AbortController();
    controller.current = abort;
    setRunning(true);
    setRunSections(chosen);
    setStages({});
    try {
      await writeSections(
        {
          client,
          host,
          request,
          suggest,
          signal: abort.signal,
          onStage: (sectionId, stage) => setStages((previous) => ({ ...previous, [sectionId]: stage })),
          confirmReplace: (section) =>
            new Promise<boolean>((resolve) => {
              const answer = (replace: boolean) => {
                abort.signal.removeEventListener("abort", keep);
                setQuestion(undefined);
                resolve(replace);
              };
              const keep = () => answer(false);
              abort.signal.addEventListener("abort", keep, { once: true });
              setQuestion({ section, answer });
            }),
        },
        chosen,
      );
    } finally {
      setRunning(false);
      setQuestion(undefined);
      refreshWritten();
    }
  };

  const done = runSections.filter((section) => finished(stages[section.section_id])).length;
  const failures = runSections.flatMap((section) => {
    const stage = stages[section.section_id];
    return stage?.state === "failed" ? [{ section, error: stage.error }] : [];
  });

  return (
    <section className={styles.column} aria-labelledby="write-in-place-heading">
      <Text id="write-in-place-heading" weight="semibold">
        Sections of the template
      </Text>
      <Caption1>Write a section into this document, under its heading, from the sources chosen below.</Caption1>
      <ol className={styles.list} aria-label="Sections of the template">
        {sections.map((section) => {
          const words = stageWords(stages[section.section_id], suggest);
          return (
            <li key={section.section_id}>
              <div className={styles.item}>
                <Caption1 className={styles.name}>
                  <SectionLabel title={section.section_name} />
                  {written.has(section.section_id) && !words && <span className={styles.status}> · in this document</span>}
                </Caption1>
                {words && (
                  <Caption1 className={styles.status} role="status">
                    {words}
                  </Caption1>
                )}
                <Button size="small" disabled={running} onClick={() => void start([section])} aria-label={`Write “${section.section_name}” into this document`}>
                  Write
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className={styles.row}>
        <Button disabled={running || sections.length === 0} onClick={() => void start(sections)}>
          Write all sections
        </Button>
        {running && (
          <Button appearance="subtle" onClick={() => controller.current?.abort()}>
            Stop
          </Button>
        )}
        <Switch label="As tracked changes" checked={suggest} disabled={running} onChange={(_, data) => setPrefs((p) => ({ ...p, suggest: data.checked }))} />
      </div>
      {running && runSections.length > 0 && (
        <div className={styles.column}>
          <ProgressBar value={done / runSections.length} aria-label="Writing sections" />
          <Caption1>
            {done} of {runSections.length} section{runSections.length === 1 ? "" : "s"} done
          </Caption1>
          {!question && <Spinner size="tiny" label="Writing into the document…" />}
        </div>
      )}
      {question && (
        <div ref={questionRef}>
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Already in this document</MessageBarTitle>
              Sidecar wrote “{question.section.section_name}” into this document before. Replace it with a new version?
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" appearance="primary" onClick={() => question.answer(true)}>
                Replace it
              </Button>
              <Button size="small" onClick={() => question.answer(false)}>
                Keep it
              </Button>
            </MessageBarActions>
          </MessageBar>
        </div>
      )}
      {failures.map(({ section, error }) => (
        <ErrorMessage key={section.section_id} error={error} title={`Couldn't write “${section.section_name}”`} />
      ))}
    </section>
  );
}
