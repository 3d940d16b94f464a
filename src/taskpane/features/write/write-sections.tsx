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
  createFocusOutlineStyle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useApiClient } from "../../api/api-context";
import type { WrittenPlace } from "../../office/document-host";
import { formatNumber, t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { announce } from "../../ui/announcer";
import { ErrorMessage, describeError } from "../../ui/error-message";
import { SectionLabel } from "../../ui/section-label";
import { shortLabel } from "../../ui/short-label";
import { usePersistentState } from "../../ui/use-persistent-state";
import type { GenerateRequest } from "../../../shared/wire/documents";
import { writeSections, type SectionStage, type TemplateSection } from "./write-in-place";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  // A section takes the focus when its writing starts (tabIndex -1): it shows where the focus is.
  listItem: { borderRadius: tokens.borderRadiusMedium, ...createFocusOutlineStyle() },
  item: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap", minWidth: 0 },
  // The section's name keeps to one line beside its Write button: cut with an ellipsis, whole in its title.
  name: { display: "flex", flexGrow: 1, flexBasis: "120px", minWidth: 0, whiteSpace: "nowrap", columnGap: tokens.spacingHorizontalXS },
  sectionName: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis" },
  status: { color: tokens.colorNeutralForeground3 },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap", minWidth: 0 },
});

/** True when SectionLabel shows the section's first words only (it then carries the whole title itself). */
const isShortened = (title: string) => shortLabel(title) !== title.replace(/\s+/g, " ").trim();

/** Where a written section went, as the list says it. */
function placeWords(place: WrittenPlace, suggest: boolean): string {
  switch (place) {
    case "under-heading":
      return suggest ? t("write.writtenUnderHeadingTracked") : t("write.writtenUnderHeading");
    case "at-cursor":
      return suggest ? t("write.writtenAtCursorTracked") : t("write.writtenAtCursor");
    case "replaced":
      return suggest ? t("write.replacedTracked") : t("write.replaced");
  }
}

/** Why a section failed, in a few words: the error's own sentence (the list shows the rest). */
function shortReason(error: unknown): string {
  return error instanceof Error && error.message ? error.message : describeError(error).message;
}

/** What a screen reader hears when a section is in the document. */
function announceWritten(place: WrittenPlace, name: string): string {
  switch (place) {
    case "under-heading":
      return t("write.announceWrittenUnderHeading", { name });
    case "at-cursor":
      return t("write.announceWrittenAtCursor", { name });
    case "replaced":
      return t("write.announceReplaced", { name });
  }
}

/** Words for a section's stage, as the list shows them. */
export function stageWords(stage: SectionStage | undefined, suggest: boolean): string | undefined {
  switch (stage?.state) {
    case undefined:
      return undefined;
    case "waiting":
      return t("write.waiting");
    case "asking":
      return t("write.asking");
    case "generating":
      return stage.reconnecting
        ? t("write.reconnecting")
        : stage.status === "Pending"
          ? t("write.queued")
          : stage.status === "Ingesting"
            ? t("write.readingSources")
            : stage.progress !== null
              ? t("write.writingProgress", { percent: formatNumber(Math.round(stage.progress) / 100, { style: "percent" }) })
              : t("write.writing");
    case "placing":
      return t("write.placing");
    case "written":
      return placeWords(stage.place, suggest);
    case "kept":
      return t("write.kept");
    case "stopped":
      return t("write.stopped");
    case "failed":
      return t("write.failed");
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
  const rootRef = useRef<HTMLElement>(null);
  const writeAllRef = useRef<HTMLButtonElement>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const ids = useId();
  const nameId = (section: TemplateSection) => `${ids}-name-${section.section_id}`;
  const statusId = (section: TemplateSection) => `${ids}-status-${section.section_id}`;

  /** True when the focus is nowhere (its button went, or was disabled) or still in this list: moving it takes nothing from the person. */
  const focusIsOurs = () => {
    const active = document.activeElement;
    return !active || active === document.body || (rootRef.current?.contains(active) ?? false);
  };
  /** The section whose writing starts comes into view and takes the focus (unless the person has moved on). */
  const bringIntoView = (sectionId: string) => {
    const item = items.current.get(sectionId);
    if (!item || !focusIsOurs()) return;
    item.scrollIntoView?.({ block: "nearest" });
    item.focus();
  };
  // A run that ends takes Stop away: if the focus was there, it goes to "Write all sections".
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) {
      const active = document.activeElement;
      if (!active || active === document.body) writeAllRef.current?.focus();
    }
    wasRunning.current = running;
  }, [running]);

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
          onStage: (sectionId, stage) => {
            setStages((previous) => ({ ...previous, [sectionId]: stage }));
            const name = chosen.find((section) => section.section_id === sectionId)?.section_name ?? "";
            if (stage.state === "asking") bringIntoView(sectionId);
            // The outcome is said once, as it happens (the list's status words are not a live region).
            if (stage.state === "written") announce(announceWritten(stage.place, name));
            if (stage.state === "failed") announce(t("write.announceFailed", { name, reason: shortReason(stage.error) }));
          },
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
    <section ref={rootRef} className={styles.column} aria-labelledby="write-in-place-heading">
      <Text id="write-in-place-heading" weight="semibold">
        {t("write.heading")}
      </Text>
      <Caption1>{t("write.intro")}</Caption1>
      <ol className={styles.list} aria-label={t("write.heading")}>
        {sections.map((section) => {
          const words = stageWords(stages[section.section_id], suggest);
          return (
            <li
              key={section.section_id}
              ref={(element) => {
                if (element) items.current.set(section.section_id, element);
                else items.current.delete(section.section_id);
              }}
              className={styles.listItem}
              tabIndex={-1}
              aria-labelledby={nameId(section)}
              aria-describedby={words ? statusId(section) : undefined}
            >
              <div className={styles.item}>
                <Caption1 id={nameId(section)} className={styles.name}>
                  {/* SectionLabel gives a shortened heading its title; a name cut here only by the ellipsis gets it here. */}
                  <span className={styles.sectionName} title={isShortened(section.section_name) ? undefined : section.section_name}>
                    <SectionLabel title={section.section_name} />
                  </span>
                  {written.has(section.section_id) && !words && <span className={styles.status}> {t("write.inThisDocument")}</span>}
                </Caption1>
                {/* Not a live region: each outcome is announced once (announce), not every step. */}
                {words && (
                  <Caption1 id={statusId(section)} className={styles.status} role="status" aria-live="off">
                    {words}
                  </Caption1>
                )}
                <Button size="small" disabled={running} onClick={() => void start([section])} aria-label={t("write.writeSectionLabel", { name: section.section_name })}>
                  {t("write.write")}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className={styles.row}>
        <Button ref={writeAllRef} disabled={running || sections.length === 0} onClick={() => void start(sections)}>
          {t("write.writeAll")}
        </Button>
        {running && (
          <Button appearance="subtle" onClick={() => controller.current?.abort()}>
            {t("write.stop")}
          </Button>
        )}
        <Switch label={t("write.asTrackedChanges")} checked={suggest} disabled={running} onChange={(_, data) => setPrefs((p) => ({ ...p, suggest: data.checked }))} />
      </div>
      {running && runSections.length > 0 && (
        <div className={styles.column}>
          <ProgressBar value={done / runSections.length} aria-label={t("write.progressLabel")} />
          <Caption1>{t("write.progressDone", { done, total: runSections.length })}</Caption1>
          {!question && <Spinner size="tiny" label={t("write.writingIntoDocument")} />}
        </div>
      )}
      {question && (
        <div ref={questionRef}>
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{t("write.alreadyTitle")}</MessageBarTitle>
              {t("write.alreadyBody", { name: question.section.section_name })}
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" appearance="primary" onClick={() => question.answer(true)}>
                {t("write.replaceIt")}
              </Button>
              <Button size="small" onClick={() => question.answer(false)}>
                {t("write.keepIt")}
              </Button>
            </MessageBarActions>
          </MessageBar>
        </div>
      )}
      {failures.map(({ section, error }) => (
        <ErrorMessage key={section.section_id} error={error} title={t("write.couldNotWrite", { name: section.section_name })} />
      ))}
    </section>
  );
}
