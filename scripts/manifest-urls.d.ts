// Types for scripts/manifest-urls.js (CommonJS, shared by webpack.config.js and the tooling tests).
export declare const DEV_ORIGIN: "https://localhost:3000";
export declare const DEV_BASE_URL: "https://localhost:3000/";
/** Validates an https deployment base URL and returns it with one trailing slash; throws on anything else. */
export declare function normalizeBaseUrl(baseUrl: string): string;
/** The manifest with dev URLs replaced by `baseUrl` (and AppDomains by its origin); unchanged without a base URL. */
export declare function rewriteManifestUrls(xml: string, baseUrl: string | undefined | null): string;
/** `--env baseUrl=…` first, then SIDECAR_BASE_URL; undefined when neither is set. */
export declare function resolveBaseUrl(
  webpackEnv: Record<string, unknown> | undefined,
  processEnv?: Record<string, string | undefined>,
): string | undefined;
