// Templates and their sections. Built-in templates (organization_id NULL) are visible to every
// organization and rewritten from code at each start; uploaded ones belong to one organization.
import { randomUUID } from "node:crypto";
import type { Sql } from "./sql";
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
  constructor(private readonly sql: Sql) {}

  /**
   * Makes the built-in templates exactly `templates` (in this order): new ones are added, changed
   * ones rewritten (ids and created_at kept), ones no longer defined removed.
   */
  async replaceBuiltIns(templates: Array<NewTemplate & { templateId: string }>): Promise<void> {
    await this.sql.transaction(async () => {
      const now = nowIso();
      const keep = templates.map((template) => template.templateId);
      const builtIns = await this.sql.all<{ template_id: string }>("SELECT template_id FROM templates WHERE organization_id IS NULL");
      for (const { template_id } of builtIns) {
        if (!keep.includes(template_id)) await this.sql.run("DELETE FROM templates WHERE template_id = ?", [template_id]);
      }
      for (const [index, template] of templates.entries()) {
        // template_name and document_type are NOT NULL, so = compares them as SQLite's IS did.
        await this.sql.run(
          `INSERT INTO templates (template_id, organization_id, template_name, document_type, source_file_name,
             built_in_order, created_at, updated_at)
           VALUES (?, NULL, ?, ?, NULL, ?, ?, ?)
           ON CONFLICT (template_id) DO UPDATE SET
             template_name = excluded.template_name, document_type = excluded.document_type,
             built_in_order = excluded.built_in_order,
             updated_at = CASE
               WHEN templates.template_name = excluded.template_name AND templates.document_type = excluded.document_type
               THEN templates.updated_at ELSE excluded.updated_at END`,
          [template.templateId, template.templateName, template.documentType, index, now, now],
        );
        await this.sql.run("DELETE FROM template_sections WHERE template_id = ?", [template.templateId]);
        await this.insertSections(template.templateId, template.sections);
      }
    });
  }

  /** Adds an organization's template with its sections. */
  async insert(organizationId: string, template: NewTemplate): Promise<TemplateWithSections> {
    const templateId = template.templateId ?? randomUUID();
    return this.sql.transaction(async () => {
      const now = nowIso();
      await this.sql.run(
        `INSERT INTO templates (template_id, organization_id, template_name, document_type, source_file_name,
           built_in_order, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
        [templateId, organizationId, template.templateName, template.documentType, template.sourceFileName ?? null, now, now],
      );
      await this.insertSections(templateId, template.sections);
      return this.withSections((await this.sql.get<TemplateRow>("SELECT * FROM templates WHERE template_id = ?", [templateId])) as TemplateRow);
    });
  }

  /** Built-ins (in their defined order) and then the organization's own, newest first. */
  async listVisible(organizationId: string): Promise<TemplateWithSections[]> {
    // Built-ins all have a built_in_order and the organization's none, so where the engines put
    // NULLs in the order does not matter.
    const rows = await this.sql.all<TemplateRow>(
      `SELECT * FROM templates WHERE organization_id IS NULL OR organization_id = ?
       ORDER BY organization_id IS NOT NULL, built_in_order, created_at DESC, rowid DESC`,
      [organizationId],
    );
    const templates: TemplateWithSections[] = [];
    for (const row of rows) templates.push(await this.withSections(row));
    return templates;
  }

  /** A template the organization may use (built in or its own). */
  async getVisible(templateId: string, organizationId: string): Promise<TemplateWithSections | undefined> {
    const row = await this.sql.get<TemplateRow>("SELECT * FROM templates WHERE template_id = ? AND (organization_id IS NULL OR organization_id = ?)", [
      templateId,
      organizationId,
    ]);
    return row ? this.withSections(row) : undefined;
  }

  private async insertSections(templateId: string, sections: NewTemplateSection[]): Promise<void> {
    for (const [index, section] of sections.entries()) {
      await this.sql.run(
        `INSERT INTO template_sections (section_id, template_id, section_name, order_index, level, instructions)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [section.sectionId ?? randomUUID(), templateId, section.sectionName, index, section.level, section.instructions],
      );
    }
  }

  private async withSections(row: TemplateRow): Promise<TemplateWithSections> {
    const sections = await this.sql.all<TemplateSectionRow>("SELECT * FROM template_sections WHERE template_id = ? ORDER BY order_index", [row.template_id]);
    return { ...row, sections };
  }
}
