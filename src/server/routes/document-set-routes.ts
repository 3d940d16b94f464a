// Document sets routes (docs/vendors.md Artos §7): list and create, per organization.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import { createDocumentSetRequest, type DocumentSetListResponse } from "../../shared/wire/document-sets";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { DocumentSetService } from "../services/document-sets";

export async function documentSetRoutes(
  app: FastifyInstance,
  { auth, documentSets }: { auth: AuthService; documentSets: DocumentSetService },
): Promise<void> {
  const authenticate = requireCaller(auth);

  app.get(endpoints.listDocumentSets.path, { onRequest: authenticate }, async (request): Promise<DocumentSetListResponse> => ({
    document_sets: await documentSets.list(callerOf(request)),
  }));

  // 201 with the new set; 200 with the existing one when the organization has that name already.
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(endpoints.createDocumentSet.path, { onRequest: authenticate, schema: { body: createDocumentSetRequest } }, async (request, reply) => {
    const { set, created } = await documentSets.create(callerOf(request), request.body);
    return reply.code(created ? 201 : 200).send(set);
  });
}
