// GET /api/v2/sidecar/capabilities (local server extension; docs/api.md "Capabilities"), in
// Ejento's envelope: whether a language model is connected, and so whether answers are written
// by it or are extracts of the documents, and whether rewording is available.
import { z } from "zod";

export const capabilities = z.object({
  /** "model": answers are written by the connected model; "extracts": quoted sentences of the documents. */
  answers: z.enum(["model", "extracts"]),
  model: z.object({ configured: z.boolean(), name: z.string().nullable() }),
  /** Rewording selected text (it needs a model). */
  rewording: z.boolean(),
  /** How generated sections are written. */
  generation: z.enum(["model", "extracts"]),
});
export type Capabilities = z.infer<typeof capabilities>;
export type CapabilitiesResponse = { success: true; message: string; data: Capabilities };
