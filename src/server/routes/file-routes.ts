// Presigned file links (docs/vendors.md Artos §5.3): POST /generate-presigned-url (signed in) hands out an
// absolute URL; GET /files/{key}?expires=…&signature=… serves the bytes to whoever holds it, with
// no auth header (and no API key: a link must work when opened as it is).
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import { presignedUrlRequest, signedFileParams, signedFileQuery } from "../../shared/wire/documents";
import type { Config } from "../config";
import { routePath } from "../http/api-paths";
import { callerOf, requireCaller } from "../http/guards";
import { requestBaseUrl } from "../http/public-url";
import type { AuthService } from "../services/auth";
import type { PresignService } from "../services/presign";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** attachment (or inline); filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266). */
export function contentDisposition(name: string, disposition: "attachment" | "inline" = "attachment"): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export async function fileRoutes(
  app: FastifyInstance,
  { auth, presign, config }: { auth: AuthService; presign: PresignService; config: Config },
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(endpoints.presignedUrl.path, { onRequest: requireCaller(auth), schema: { body: presignedUrlRequest } }, async (request) =>
    presign.presign(callerOf(request), request.body.key, requestBaseUrl(request, config.publicUrl)),
  );

  api.get(
    routePath(endpoints.signedFile.path, "key"),
    { schema: { params: signedFileParams, querystring: signedFileQuery } },
    async (request, reply) => {
      const file = await presign.open(request.params["*"], request.query);
      return reply
        .type(DOCX_TYPE)
        .header("content-length", String(file.bytes.length))
        .header("content-disposition", contentDisposition(file.documentName))
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .send(file.bytes);
    },
  );
}
