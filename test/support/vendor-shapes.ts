// The vendors' recorded answers (test/contract/vendor-shapes/*.json, each naming where its shape
// comes from), for the contract tests and the pane's component tests.
import fs from "node:fs";
import path from "node:path";

export interface VendorShape {
  source: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** With `{name}` placeholders, as the endpoint table writes them. */
  path: string;
  status: number;
  /** A JSON answer… */
  body?: unknown;
  /** …or, for a stream, its events in order. */
  events?: unknown[];
}

export const shapesDir = path.join(__dirname, "..", "contract", "vendor-shapes");

export function shape(name: string): VendorShape {
  return JSON.parse(fs.readFileSync(path.join(shapesDir, `${name}.json`), "utf8")) as VendorShape;
}

/** A recorded shape's JSON body (fresh copy each time). */
export function shapeBody<T = Record<string, unknown>>(name: string): T {
  return structuredClone(shape(name).body) as T;
}

/** The path as msw matches it (`{id}` → `:id`). */
export function mswPath(route: string): string {
  return route.replace(/\{(\w+)\}/g, ":$1");
}
