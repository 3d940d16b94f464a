// Writing template sections into the open document, one at a time: ask the documents service to
// generate only that section (`selected_section_ids`), follow the job like any generation, read
// the section out of the generated .docx and hand it to the host, which puts it under the
// section's heading in a content control tagged with the section. A section Sidecar wrote before
// is only replaced when the person says so. Stop ends the run between two steps: a generation
// already asked for runs on at the server (neither service can cancel one), but nothing more is
// written into the document.
import { isApiError } from "../../api/api-error";
import { downloadByKey } from "../../api/download";
import type { HttpClient } from "../../api/http-client";
import { OfficeError, type DocumentHost, type WrittenPlace } from "../../office/document-host";
import type { GenerateRequest, GenerationStatus } from "../../../shared/wire/documents";
import { t } from "../../i18n";
import { generateDocument } from "../generate/api/generate-document";
import { getDocument } from "../generate/api/get-document";
import { getGenerationStatus, nextPollDelay } from "../generate/api/get-generation-status";
import { sectionContentFromDocx } from "./section-content";

export interface TemplateSection {
  section_id: string;
  section_name: string;
}

/** Where one section of a run is. */
export type SectionStage =
  | { state: "waiting" }
  | { state: "asking" }
  | { state: "generating"; status: GenerationStatus; progress: number | null; reconnecting?: boolean }
  | { state: "placing" }
  | { state: "written"; place: WrittenPlace }
  | { state: "kept" }
  | { state: "stopped" }
  | { state: "failed"; error: unknown };

export interface WriteRun {
  client: HttpClient;
  host: DocumentHost;
  /** The generation request for the whole template; each section is asked for on its own. */
  request: GenerateRequest;
  suggest: boolean;
  signal: AbortSignal;
  onStage: (sectionId: string, stage: SectionStage) => void;
  /** Asked when Sidecar wrote this section into the document before: replace it, or keep it. */
  confirmReplace: (section: TemplateSection) => Promise<boolean>;
}

const stopped = () => new OfficeError("aborted", t("write.stoppedError"));

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(stopped());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** True for the error a Stop causes (ours, or a request cut off by it). */
export function isStop(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && ((error instanceof OfficeError && error.kind === "aborted") || (isApiError(error) && error.kind === "aborted"));
}

/** Follows a generation until it is Ready; a network error keeps following ("reconnecting"). */
async function followUntilReady(run: WriteRun, sectionId: string, taskId: string): Promise<void> {
  for (let polls = 0; ; polls++) {
    try {
      const status = await getGenerationStatus(run.client, taskId, run.signal);
      if (status.status === "Ready") return;
      if (status.status === "Failed") throw new Error(status.error || t("write.serviceCouldNotWrite"));
      run.onStage(sectionId, { state: "generating", status: status.status, progress: status.progress });
    } catch (error) {
      if (!isApiError(error) || error.kind !== "network") throw error;
      run.onStage(sectionId, { state: "generating", status: "Generating", progress: null, reconnecting: true });
    }
    await wait(nextPollDelay(polls), run.signal);
  }
}

/** Writes one section; resolves with where it went, or "kept" when the person kept the one there. */
export async function writeSection(run: WriteRun, section: TemplateSection, replace: boolean): Promise<WrittenPlace> {
  const { client, host, signal } = run;
  run.onStage(section.section_id, { state: "asking" });
  const { task_id: taskId } = await generateDocument(client, {
    ...run.request,
    output_name: `${run.request.output_name} – ${section.section_name}`,
    selected_section_ids: [section.section_id],
  });
  // Stop while the request was out (it is not cut off: the service may have taken it). The
  // signal's own reason would be an AbortError, which the run would report as a failure.
  if (signal.aborted) throw stopped();
  run.onStage(section.section_id, { state: "generating", status: "Pending", progress: null });
  await followUntilReady(run, section.section_id, taskId);
  run.onStage(section.section_id, { state: "placing" });
  const detail = await getDocument(client, taskId, signal);
  const bytes = await downloadByKey(client, detail.s3_key, signal);
  const content = await sectionContentFromDocx(bytes, section.section_name);
  if (!content) throw new Error(t("write.sectionMissing", { name: section.section_name }));
  if (signal.aborted) throw stopped();
  return host.writeSection(
    { documentId: taskId, sectionId: section.section_id, title: section.section_name },
    content,
    { suggest: run.suggest, replace },
  );
}

/** Errors after which the next sections can't be written either. */
function endsTheRun(error: unknown): boolean {
  if (error instanceof OfficeError) return error.kind !== "already_written";
  return isApiError(error) && (error.kind === "unauthorized" || error.kind === "forbidden");
}

/**
 * Writes `sections` in turn. Every section gets a final stage: written, kept (written before and
 * the person kept it), failed, or stopped (Stop, or an error that ends the run, such as the
 * document being closed).
 */
export async function writeSections(run: WriteRun, sections: readonly TemplateSection[]): Promise<void> {
  for (const section of sections) run.onStage(section.section_id, { state: "waiting" });
  const writtenBefore = new Set((await run.host.getWrittenSections().catch(() => [])).map((written) => written.sectionId));
  let ended = false;
  for (const section of sections) {
    if (ended || run.signal.aborted) {
      run.onStage(section.section_id, { state: "stopped" });
      continue;
    }
    try {
      const replace = writtenBefore.has(section.section_id);
      if (replace && !(await run.confirmReplace(section))) {
        // Stop while the question was open answers it "keep": the section is then stopped, not kept.
        run.onStage(section.section_id, { state: run.signal.aborted ? "stopped" : "kept" });
        continue;
      }
      if (run.signal.aborted) throw stopped();
      run.onStage(section.section_id, { state: "written", place: await writeSection(run, section, replace) });
    } catch (error) {
      if (isStop(error, run.signal)) {
        run.onStage(section.section_id, { state: "stopped" });
        continue;
      }
      run.onStage(section.section_id, { state: "failed", error });
      ended = endsTheRun(error);
    }
  }
}
