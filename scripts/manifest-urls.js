// Rewrites the development URLs of manifest.xml for a deployment.
//
// manifest.xml is written for the webpack dev server: every URL of the add-in's own files starts with
// DEV_BASE_URL, and <AppDomain> holds its origin. A production build with a base URL
// (`webpack --mode production --env baseUrl=https://sidecar.example.com/` or SIDECAR_BASE_URL) copies
// the manifest into dist/ through rewriteManifestUrls(); without one the manifest is copied unchanged.
// CommonJS on purpose: webpack.config.js (CommonJS) and the Jest tooling test both require it.
"use strict";

const DEV_ORIGIN = "https://localhost:3000";
const DEV_BASE_URL = `${DEV_ORIGIN}/`;

/**
 * Validates a deployment base URL and returns it with exactly one trailing slash.
 * Office only loads add-in pages and icons over https, so anything else is refused here rather
 * than at sideload time.
 * @param {string} baseUrl
 * @returns {string}
 */
function normalizeBaseUrl(baseUrl) {
  let url;
  try {
    url = new URL(String(baseUrl).trim());
  } catch {
    throw new Error(`Invalid base URL "${baseUrl}": expected an absolute https URL such as https://sidecar.example.com/`);
  }
  if (url.protocol !== "https:") {
    throw new Error(`Invalid base URL "${baseUrl}": Office loads add-ins only over https.`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`Invalid base URL "${baseUrl}": no query string, fragment or credentials allowed.`);
  }
  const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `${url.origin}${path}`;
}

/**
 * Returns the manifest with every DEV_BASE_URL replaced by `baseUrl` and every AppDomain that names
 * the dev origin replaced by the base URL's origin. Without a base URL it returns the manifest unchanged.
 * @param {string} xml
 * @param {string | undefined | null} baseUrl
 * @returns {string}
 */
function rewriteManifestUrls(xml, baseUrl) {
  if (!baseUrl) return xml;
  const base = normalizeBaseUrl(baseUrl);
  const origin = new URL(base).origin;
  const escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return xml
    .replace(/<AppDomain>\s*https:\/\/localhost:3000\/?\s*<\/AppDomain>/g, `<AppDomain>${escapeXml(origin)}</AppDomain>`)
    .split(DEV_BASE_URL)
    .join(escapeXml(base));
}

/**
 * The base URL a build was asked for: `--env baseUrl=…` wins over SIDECAR_BASE_URL; undefined when neither is set.
 * @param {Record<string, unknown> | undefined} webpackEnv
 * @param {NodeJS.ProcessEnv} [processEnv]
 * @returns {string | undefined}
 */
function resolveBaseUrl(webpackEnv, processEnv = process.env) {
  const fromEnv = webpackEnv && typeof webpackEnv.baseUrl === "string" ? webpackEnv.baseUrl : undefined;
  const value = fromEnv || processEnv.SIDECAR_BASE_URL || undefined;
  return value ? normalizeBaseUrl(value) : undefined;
}

module.exports = { DEV_ORIGIN, DEV_BASE_URL, normalizeBaseUrl, rewriteManifestUrls, resolveBaseUrl };
