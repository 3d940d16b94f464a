// Generated documents: the placeholder row made when generation is requested, the job that fills
// it (status on the document row; stage, progress and attempts on the job row), and the result:
// the .docx in files/, its sections and each section's sources.
//
// Durability is as for uploads: the file is kept (storage/file-store.ts) and the row marked Ready in
// one transaction, so a Ready row always points at a whole file. Completing again (a re-run after a
// restart, or on another process after this one died) replaces the file, sections and sources.
import { createHash, randomUUID } from "node:crypto";
import { insertDocumentRow, newDocumentRow, type DocumentRow } from "./document-row";
import type { FileStore } from "./file-store";
import type { Sql } from "./sql";
import { nowIso } from "./util";

export type DocumentStatus = "Pending" | "Ingesting" | "Generating" | "Ready" | "Failed";

/** A generated document's row with its job. */
export interface GenerationJobRow {
  document_id: string;
  organization_id: string;
  document_name: string;
  s3_key: string;
  status: DocumentStatus;
  output_name: string;
  request_json: string;
  stage: string | null;
  progress: number;
  attempts: number;
  error: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface DocumentSectionRow {
  document_id: string;
  section_id: string;
  section_title: string;
  section_order: number;
  level: number;
  text: string;
}

export interface SectionSourceRow {
  document_id: string;
  section_id: string;
  source_order: number;
  document_source_id: string;
  document_source_name: string;
  referenced_text: string;
  s3_key: string;
  passage_id: string;
  passage_index: number;
  score: number;
}

export interface NewSectionSource {
  documentSourceId: string;
  documentSourceName: string;
  referencedText: string;
  s3Key: string;
  passageId: string;
  passageIndex: number;
  score: number;
}

/** One sentence of a generated section and the passages it comes from (none: the writer's own words). */
export interface SectionSentence {
  text: string;
  passageIds: string[];
}

export interface NewDocumentSection {
  sectionId: string;
  sectionTitle: string;
  level: number;
  text: string;
  sources: NewSectionSource[];
  /** The section's sentences in order, each with its passages (sentence-level sources). */
  sentences?: SectionSentence[];
}

export interface NewGeneratedDocument {
  organizationId: string;
  requestedBy: string;
  documentName: string;
  outputName: string;
  workspaceId: string;
  template: { template_id: string; template_name: string };
  requestJson: string;
}

const JOB_COLUMNS = `d.document_id, d.organization_id, d.document_name, d.s3_key, d.status, j.output_name, j.request_json,
  j.stage, j.progress, j.attempts, j.error, j.queued_at, j.started_at, j.finished_at`;

export class GenerationStore {
  constructor(
    private readonly sql: Sql,
    private readonly files: FileStore,
    /**
     * Told, once committed, of a change to a row that may have been Ready (which the document store
     * may keep in memory): this process then reads its own change at once, without waiting for
     * the database's announcement of it to come back.
     */
    private readonly changed: (documentId: string) => void,
  ) {}

  /**
   * Makes the placeholder document (status Pending) and its job. When the organization already
   * has a generation with this output name, that document is returned with created false.
   */
  createGenerated(input: NewGeneratedDocument): Promise<{ document: DocumentRow; created: boolean }> {
    return this.sql.transaction(async () => {
      const existing = await this.findByOutputName(input.organizationId, input.outputName);
      if (existing) return { document: existing, created: false };
      const document = newDocumentRow({
        document_id: randomUUID(),
        organization_id: input.organizationId,
        kind: "generated",
        document_name: input.documentName,
        status: "Pending",
        workspace_id: input.workspaceId,
        template_json: JSON.stringify(input.template),
        uploaded_by: input.requestedBy,
      });
      const documentId = document.document_id;
      const now = document.created_at;
      await insertDocumentRow(this.sql, document);
      await this.sql.run(
        `INSERT INTO generation_jobs (document_id, organization_id, output_name, request_json, progress, attempts, queued_at)
         VALUES (?, ?, ?, ?, 0, 0, ?)`,
        [documentId, input.organizationId, input.outputName, input.requestJson, now],
      );
      return { document, created: true };
    });
  }

  findByOutputName(organizationId: string, outputName: string): Promise<DocumentRow | undefined> {
    return this.sql.get<DocumentRow>(
      `SELECT d.* FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
       WHERE j.organization_id = ? AND j.output_name = ?`,
      [organizationId, outputName],
    );
  }

  getJob(documentId: string): Promise<GenerationJobRow | undefined> {
    return this.sql.get<GenerationJobRow>(
      `SELECT ${JOB_COLUMNS} FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id WHERE j.document_id = ?`,
      [documentId],
    );
  }

  /** Jobs that were running when the server stopped (status Ingesting or Generating). */
  listInterrupted(): Promise<GenerationJobRow[]> {
    return this.sql.all<GenerationJobRow>(
      `SELECT ${JOB_COLUMNS} FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
       WHERE d.status IN ('Ingesting', 'Generating') ORDER BY j.queued_at, j.rowid`,
    );
  }

  /** How many of an organization's generations wait to start (Pending). */
  async countWaiting(organizationId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
       WHERE j.organization_id = ? AND d.status = 'Pending'`,
      [organizationId],
    );
    return row?.n ?? 0;
  }

  /** Takes the oldest Pending job: it becomes Ingesting (stage "extract"), one more attempt. */
  claimNext(): Promise<GenerationJobRow | undefined> {
    return this.sql.transaction(async () => {
      const next = await this.sql.get<{ document_id: string }>(
        // Round-robin across organizations: the waiting job of the organization whose last job
        // started longest ago (one that never started first), then oldest first within it. A
        // flood from one organization waits behind itself, not in front of everyone else.
        `SELECT j.document_id FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
         WHERE d.status = 'Pending'
         ORDER BY (SELECT MAX(s.started_at) FROM generation_jobs s WHERE s.organization_id = j.organization_id) IS NOT NULL,
                  (SELECT MAX(s.started_at) FROM generation_jobs s WHERE s.organization_id = j.organization_id),
                  j.queued_at, j.rowid
         LIMIT 1`,
      );
      if (!next) return undefined;
      return this.beginRun(next.document_id);
    });
  }

  /** A run begins (inside the caller's transaction): Ingesting at stage "extract", one more attempt. */
  private async beginRun(documentId: string): Promise<GenerationJobRow> {
    const now = nowIso();
    await this.sql.run("UPDATE documents SET status = 'Ingesting', updated_at = ? WHERE document_id = ?", [now, documentId]);
    await this.sql.run(
      `UPDATE generation_jobs SET stage = 'extract', progress = 0, error = NULL, attempts = attempts + 1,
         started_at = ?, finished_at = NULL WHERE document_id = ?`,
      [now, documentId],
    );
    return (await this.getJob(documentId)) as GenerationJobRow;
  }

  /** How many of an organization's generations are not finished (waiting or running). */
  async countUnfinished(organizationId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
       WHERE j.organization_id = ? AND d.status IN ('Pending', 'Ingesting', 'Generating')`,
      [organizationId],
    );
    return row?.n ?? 0;
  }

  /** Ids of the generations waiting to start (Pending), oldest first. */
  async listWaitingIds(): Promise<string[]> {
    const rows = await this.sql.all<{ document_id: string }>(
      `SELECT j.document_id FROM generation_jobs j JOIN documents d ON d.document_id = j.document_id
       WHERE d.status = 'Pending' ORDER BY j.queued_at, j.rowid`,
    );
    return rows.map((row) => row.document_id);
  }

  /**
   * Starts one run of a given job (the shared queue's, which chose it): Ingesting at stage
   * "extract", one more attempt — whatever state an earlier run left it in (a process that died
   * mid-run). "finished" when it is Ready or Failed already; "exhausted" when it has been started
   * `maxAttempts` times.
   */
  startRun(documentId: string, maxAttempts: number): Promise<GenerationJobRow | "finished" | "exhausted"> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(documentId);
      if (!job || job.status === "Ready" || job.status === "Failed") return "finished";
      if (job.attempts >= maxAttempts) return "exhausted";
      return this.beginRun(documentId);
    });
  }

  /** Records the stage a running job is in. */
  async setStage(documentId: string, status: "Ingesting" | "Generating", stage: string, progress: number): Promise<void> {
    await this.sql.transaction(async () => {
      const now = nowIso();
      await this.sql.run("UPDATE documents SET status = ?, updated_at = ? WHERE document_id = ? AND status IN ('Ingesting', 'Generating')", [
        status,
        now,
        documentId,
      ]);
      await this.sql.run("UPDATE generation_jobs SET stage = ?, progress = ? WHERE document_id = ?", [stage, progress, documentId]);
    });
  }

  /**
   * Puts a job back in the queue (Pending, progress 0). `refundAttempt` when the run was stopped
   * on purpose (a graceful server stop), so it does not count against the job's attempts.
   */
  async requeue(documentId: string, refundAttempt: boolean): Promise<void> {
    await this.sql.transaction(async () => {
      await this.sql.run("UPDATE documents SET status = 'Pending', updated_at = ? WHERE document_id = ? AND status IN ('Ingesting', 'Generating')", [
        nowIso(),
        documentId,
      ]);
      await this.sql.run(
        `UPDATE generation_jobs SET stage = NULL, progress = 0,
           attempts = CASE WHEN ? = 1 AND attempts > 0 THEN attempts - 1 ELSE attempts END
         WHERE document_id = ?`,
        [refundAttempt ? 1 : 0, documentId],
      );
    });
  }

  async fail(documentId: string, error: string): Promise<void> {
    await this.sql.transaction(async () => {
      const now = nowIso();
      await this.sql.run("UPDATE documents SET status = 'Failed', updated_at = ? WHERE document_id = ?", [now, documentId]);
      await this.sql.run("UPDATE generation_jobs SET error = ?, finished_at = ? WHERE document_id = ?", [error, now, documentId]);
    });
    this.changed(documentId);
  }

  /**
   * Keeps the generated file and the document's sections and sources, and marks it Ready
   * (progress 100), replacing whatever an earlier run stored.
   */
  async complete(documentId: string, file: Uint8Array, sections: NewDocumentSection[]): Promise<void> {
    const storedFileName = `${documentId}.docx`;
    await this.sql.transaction(async () => {
      const now = nowIso();
      await this.sql.run("DELETE FROM document_sections WHERE document_id = ?", [documentId]);
      for (const [order, section] of sections.entries()) {
        await this.sql.run(
          `INSERT INTO document_sections (document_id, section_id, section_title, section_order, level, text)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [documentId, section.sectionId, section.sectionTitle, order, section.level, section.text],
        );
        for (const [sentenceOrder, sentence] of (section.sentences ?? []).entries()) {
          await this.sql.run("INSERT INTO section_sentences (document_id, section_id, sentence_order, text, passage_ids) VALUES (?, ?, ?, ?, ?)", [
            documentId,
            section.sectionId,
            sentenceOrder,
            sentence.text,
            JSON.stringify(sentence.passageIds),
          ]);
        }
        for (const [sourceOrder, source] of section.sources.entries()) {
          await this.sql.run(
            `INSERT INTO section_sources (document_id, section_id, source_order, document_source_id, document_source_name,
               referenced_text, s3_key, passage_id, passage_index, score)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              documentId,
              section.sectionId,
              sourceOrder,
              source.documentSourceId,
              source.documentSourceName,
              source.referencedText,
              source.s3Key,
              source.passageId,
              source.passageIndex,
              source.score,
            ],
          );
        }
      }
      const updated = await this.sql.run(
        `UPDATE documents SET status = 'Ready', stored_file_name = ?, sha256 = ?, size_bytes = ?, updated_at = ?
         WHERE document_id = ?`,
        [storedFileName, createHash("sha256").update(file).digest("hex"), file.length, now, documentId],
      );
      if (updated.changes !== 1) throw new Error(`generated document ${documentId} no longer exists`);
      await this.sql.run("UPDATE generation_jobs SET stage = 'done', progress = 100, error = NULL, finished_at = ? WHERE document_id = ?", [
        now,
        documentId,
      ]);
      await this.files.keep(storedFileName, { bytes: file });
    });
    this.changed(documentId);
  }

  sections(documentId: string): Promise<DocumentSectionRow[]> {
    return this.sql.all<DocumentSectionRow>("SELECT * FROM document_sections WHERE document_id = ? ORDER BY section_order", [documentId]);
  }

  /** Every recorded sentence of the document's sections, by section then sentence order. */
  async sentencesOfDocument(documentId: string): Promise<Array<SectionSentence & { sectionId: string }>> {
    const rows = await this.sql.all<{ section_id: string; text: string; passage_ids: string }>(
      "SELECT section_id, text, passage_ids FROM section_sentences WHERE document_id = ? ORDER BY section_id, sentence_order",
      [documentId],
    );
    return rows.map((row) => ({ sectionId: row.section_id, text: row.text, passageIds: JSON.parse(row.passage_ids) as string[] }));
  }

  /** Every recorded source of the document, by section order, then source order. */
  sourcesOfDocument(documentId: string): Promise<SectionSourceRow[]> {
    return this.sql.all<SectionSourceRow>(
      `SELECT s.* FROM section_sources s
       JOIN document_sections d ON d.document_id = s.document_id AND d.section_id = s.section_id
       WHERE s.document_id = ? ORDER BY d.section_order, s.source_order`,
      [documentId],
    );
  }

  sources(documentId: string, sectionId: string): Promise<SectionSourceRow[]> {
    return this.sql.all<SectionSourceRow>("SELECT * FROM section_sources WHERE document_id = ? AND section_id = ? ORDER BY source_order", [
      documentId,
      sectionId,
    ]);
  }
}
