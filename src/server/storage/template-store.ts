// Templates and their sections. Built-in templates (organization_id NULL) are visible to every
// organization and rewritten from code at each start; uploaded ones belong to one organization.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export interface TemplateRow {
  template_id: string;
  organization_id: string | null;
  template_name: string;
  document_type: string;
  source_file_name: string | null;
  built_in_order: number | null;
  created_at: string;
  updated_at: string;
}

export interface TemplateSectionRow {
  section_id: string;
  template_id: string;
  section_name: string;
  order_index: number;
  level: number;
  instructions: string;
}

export interface TemplateWithSections extends TemplateRow {
  sections: TemplateSectionRow[];
}

export interface NewTemplateSection {
  /** Kept when given (built-ins have stable ids); a new uuid otherwise. */
  sectionId?: string;
  sectionName: string;
  level: number;
  instructions: string;
}

export interface NewTemplate {
  templateId?: string;
  templateName: string;
  documentType: string;
  sourceFileName?: string | null;
  sections: NewTemplateSection[];
}

export class TemplateStore {
  constructor(private readonly db: Database.Database) {}

  /**
   * Makes the built-in templates exactly `templates` (in this order): new ones are added, changed
   * ones rewritten (ids and created_at kept), ones no longer defined removed.
   */
  replaceBuiltIns(templates: Array<NewTemplate & { templateId: string }>): void {
    this.db.transaction(() => {
      const now = nowIso();
      const keep = templates.map((template) => template.templateId);
      const builtIns = this.db
        .prepare("SELECT template_id FROM templates WHERE organization_id IS NULL")
        .all() as Array<{ template_id: string }>;
      for (const { template_id } of builtIns) {
        if (!keep.includes(template_id)) this.db.prepare("DELETE FROM templates WHERE template_id = ?").run(template_id);
      }
      const upsert = this.db.prepare(
        `INSERT INTO templates (template_id, organization_id, template_name, document_type, source_file_name,
           built_in_order, created_at, updated_at)
         VALUES (@template_id, NULL, @template_name, @document_type, NULL, @built_in_order, @now, @now)
         ON CONFLICT (template_id) DO UPDATE SET
           template_name = excluded.template_name, document_type = excluded.document_type,
           built_in_order = excluded.built_in_order,
           updated_at = CASE
             WHEN templates.template_name IS excluded.template_name AND templates.document_type IS excluded.document_type
             THEN templates.updated_at ELSE excluded.updated_at END`,
      );
      templates.forEach((template, index) => {
        upsert.run({
          template_id: template.templateId,
          template_name: template.templateName,
          document_type: template.documentType,
          built_in_order: index,
          now,
        });
        this.db.prepare("DELETE FROM template_sections WHERE template_id = ?").run(template.templateId);
        this.insertSections(template.templateId, template.sections);
      });
    })();
  }

  /** Adds an organization's template with its sections. */
  insert(organizationId: string, template: NewTemplate): TemplateWithSections {
    const templateId = template.templateId ?? randomUUID();
    this.db.transaction(() => {
      const now = nowIso();
      this.db
        .prepare(
          `INSERT INTO templates (template_id, organization_id, template_name, document_type, source_file_name,
             built_in_order, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
        )
        .run(templateId, organizationId, template.templateName, template.documentType, template.sourceFileName ?? null, now, now);
      this.insertSections(templateId, template.sections);
    })();
    return this.withSections(this.db.prepare("SELECT * FROM templates WHERE template_id = ?").get(templateId) as TemplateRow);
  }

  /** Built-ins (in their defined order) and then the organization's own, newest first. */
  listVisible(organizationId: string): TemplateWithSections[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM templates WHERE organization_id IS NULL OR organization_id = ?
         ORDER BY organization_id IS NOT NULL, built_in_order, created_at DESC, rowid DESC`,
      )
      .all(organizationId) as TemplateRow[];
    return rows.map((row) => this.withSections(row));
  }

  /** A template the organization may use (built in or its own). */
  getVisible(templateId: string, organizationId: string): TemplateWithSections | undefined {
    const row = this.db
      .prepare("SELECT * FROM templates WHERE template_id = ? AND (organization_id IS NULL OR organization_id = ?)")
      .get(templateId, organizationId) as TemplateRow | undefined;
    return row ? this.withSections(row) : undefined;
  }

  private insertSections(templateId: string, sections: NewTemplateSection[]): void {
    const insert = this.db.prepare(
      `INSERT INTO template_sections (section_id, template_id, section_name, order_index, level, instructions)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    sections.forEach((section, index) => {
      insert.run(section.sectionId ?? randomUUID(), templateId, section.sectionName, index, section.level, section.instructions);
    });
  }

  private withSections(row: TemplateRow): TemplateWithSections {
    const sections = this.db
      .prepare("SELECT * FROM template_sections WHERE template_id = ? ORDER BY order_index")
      .all(row.template_id) as TemplateSectionRow[];
    return { ...row, sections };
  }
}
