// The Sources panel's routes (docs/api.md "Documents"; docs/vendors.md Artos §3.6, §3.7): a document's
// sections, the section holding selected text, a section's sources, and a source passage in
// context. All POST with JSON bodies checked by the schemas in src/shared/wire/sections.ts, all
// signed in; paths from the shared endpoint table.
//
// Every open pane calls these on each selection change, so they don't write the two per-request
// info lines ("incoming request", "request completed") that other routes do: at a few thousand
// requests a second those would be most of the log and a good part of the server's time.
// Warnings and errors (an unexpected failure is logged at error) still reach the log.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  sectionFromTextRequest,
  sectionsForDocumentRequest,
  sourceContextRequest,
  sourcesForSelectedTextRequest,
} from "../../shared/wire/sections";
import type { LogLevel } from "../config";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { SectionService } from "../services/sections/sections";

const BY_SEVERITY: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

/** The server's level, but at least "warn" (never more verbose than the server is set to be). */
function quietLevel(serverLevel: LogLevel): LogLevel {
  return BY_SEVERITY.indexOf(serverLevel) > BY_SEVERITY.indexOf("warn") ? serverLevel : "warn";
}

export async function sectionRoutes(
  app: FastifyInstance,
  { auth, sections, logLevel }: { auth: AuthService; sections: SectionService; logLevel: LogLevel },
): Promise<void> {
  const options = { onRequest: requireCaller(auth), logLevel: quietLevel(logLevel) };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(endpoints.getSectionsForDocument.path, { ...options, schema: { body: sectionsForDocumentRequest } }, async (request) =>
    sections.sections(callerOf(request), request.body),
  );

  api.post(endpoints.getSectionFromText.path, { ...options, schema: { body: sectionFromTextRequest } }, async (request) =>
    sections.sectionFromText(callerOf(request), request.body),
  );

  api.post(endpoints.getSourcesForSelectedText.path, { ...options, schema: { body: sourcesForSelectedTextRequest } }, async (request) =>
    sections.sourcesForSelectedText(callerOf(request), request.body),
  );

  api.post(endpoints.getSourceContext.path, { ...options, schema: { body: sourceContextRequest } }, async (request) =>
    sections.sourceContext(callerOf(request), request.body),
  );
}
