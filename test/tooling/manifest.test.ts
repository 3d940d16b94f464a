/**
 * The add-in manifest and the built pages (Jest project "server", node environment).
 * `npm test` runs this after `npm run build`, so dist/ exists; run `npm run build` first when
 * running it alone: npx jest --selectProjects server test/tooling
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { OfficeAddinManifest } from "office-addin-manifest";
import { DEV_BASE_URL, normalizeBaseUrl, resolveBaseUrl, rewriteManifestUrls } from "../../scripts/manifest-urls";

const ROOT = resolve(__dirname, "..", "..");
const DIST = join(ROOT, "dist");
const MANIFEST_XML = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- small typed view of fast-xml-parser's output ------------------------------------------------

type XmlNode = { [key: string]: XmlValue };
type XmlValue = string | XmlNode | XmlNode[] | undefined;

const ARRAY_TAGS = new Set(["AppDomain", "Host", "Set", "ExtensionPoint", "OfficeTab", "Group", "Control", "bt:Image", "bt:Url", "bt:String"]);

function parse(xml: string): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
  return parser.parse(xml) as XmlNode;
}

function child(node: XmlNode | undefined, name: string): XmlNode {
  const value = node?.[name];
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new Error(`expected one <${name}>, found ${value.length}`);
    return value[0]!;
  }
  if (value === undefined || typeof value === "string") throw new Error(`missing element <${name}>`);
  return value;
}

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return [value];
  return [];
}

function text(node: XmlNode, name: string): string {
  const value = node[name];
  if (typeof value !== "string") throw new Error(`<${name}> should hold text`);
  return value.trim();
}

function attr(node: XmlNode, name: string): string {
  const value = node[`@_${name}`];
  if (typeof value !== "string") throw new Error(`missing attribute ${name}`);
  return value;
}

// ---- files ---------------------------------------------------------------------------------------

function requireDist(): void {
  if (!existsSync(join(DIST, "taskpane.html")) || !existsSync(join(DIST, "manifest.xml"))) {
    throw new Error("dist/ is missing or incomplete: run `npm run build` first (`npm test` builds before it runs Jest).");
  }
}

/** The file in dist/ that a dev-server URL (https://localhost:3000/…) serves. */
function distFileFor(url: string): string {
  const { pathname } = new URL(url);
  const path = decodeURIComponent(pathname).replace(/^\/+/, "");
  return join(DIST, path === "" || path.endsWith("/") ? `${path}index.html` : path);
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function scriptSources(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*?\ssrc=["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// ---- the manifest -------------------------------------------------------------------------------

const doc = parse(MANIFEST_XML);
const app = child(doc, "OfficeApp");
const overrides = child(app, "VersionOverrides");
const resources = child(overrides, "Resources");
const images = new Map(children(child(resources, "bt:Images"), "bt:Image").map((i) => [attr(i, "id"), attr(i, "DefaultValue")]));
const urls = new Map(children(child(resources, "bt:Urls"), "bt:Url").map((u) => [attr(u, "id"), attr(u, "DefaultValue")]));
const shortStrings = new Map(children(child(resources, "bt:ShortStrings"), "bt:String").map((s) => [attr(s, "id"), attr(s, "DefaultValue")]));
const longStrings = new Map(children(child(resources, "bt:LongStrings"), "bt:String").map((s) => [attr(s, "id"), attr(s, "DefaultValue")]));
const wordHost = children(child(overrides, "Hosts"), "Host").find((h) => attr(h, "xsi:type") === "Document");
const desktop = child(wordHost, "DesktopFormFactor");

/** Parses a manifest with office-addin-manifest, the parser office-addin-debugging and sideloading use (xml2js, strict). */
async function readWithOfficeTools(xml: string) {
  const dir = mkdtempSync(join(tmpdir(), "sidecar-manifest-"));
  try {
    const file = join(dir, "manifest.xml");
    writeFileSync(file, xml);
    return await OfficeAddinManifest.readManifestFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("manifest.xml", () => {
  test("is well-formed XML", () => {
    expect(XMLValidator.validate(MANIFEST_XML)).toBe(true);
    // fast-xml-parser lets this one through; strict parsers (Office's, xml2js) reject it.
    const comments = MANIFEST_XML.match(/<!--[\s\S]*?-->/g) ?? [];
    expect(comments.filter((c) => c.slice(4, -3).includes("--"))).toEqual([]);
  });

  test("parses with the Office tools' own manifest reader", async () => {
    const info = await readWithOfficeTools(MANIFEST_XML);
    expect(info.id).toBe(text(app, "Id"));
    expect(info.displayName).toBe("Sidecar");
    expect(info.hosts).toEqual(["Document"]);
    expect(info.defaultSettings?.sourceLocation).toBe(`${DEV_BASE_URL}taskpane.html`);
  });

  test("declares a Word task-pane add-in with every required element", () => {
    expect(attr(app, "xsi:type")).toBe("TaskPaneApp");
    expect(attr(app, "xmlns")).toBe("http://schemas.microsoft.com/office/appforoffice/1.1");
    expect(text(app, "Id")).toMatch(GUID);
    expect(text(app, "Version")).toMatch(/^\d{1,5}(\.\d{1,5}){3}$/);
    expect(text(app, "ProviderName")).toBe("Sidecar");
    expect(text(app, "DefaultLocale")).toBe("en-US");
    expect(attr(child(app, "DisplayName"), "DefaultValue")).toBe("Sidecar");
    const description = attr(child(app, "Description"), "DefaultValue");
    expect(description.length).toBeGreaterThan(0);
    expect(description.length).toBeLessThanOrEqual(250);
    expect(attr(child(app, "IconUrl"), "DefaultValue")).toBe(`${DEV_BASE_URL}assets/icon-32.png`);
    expect(attr(child(app, "HighResolutionIconUrl"), "DefaultValue")).toBe(`${DEV_BASE_URL}assets/icon-64.png`);
    expect(attr(child(app, "SupportUrl"), "DefaultValue")).toMatch(/^https:\/\//);
    expect(children(child(app, "AppDomains"), "AppDomain").length).toBeGreaterThan(0);
    expect(children(child(app, "Hosts"), "Host").map((h) => attr(h, "Name"))).toEqual(["Document"]);
    const sets = child(child(app, "Requirements"), "Sets");
    expect(children(sets, "Set").map((s) => [attr(s, "Name"), attr(s, "MinVersion")])).toEqual([["WordApi", "1.3"]]);
    expect(attr(child(child(app, "DefaultSettings"), "SourceLocation"), "DefaultValue")).toBe(`${DEV_BASE_URL}taskpane.html`);
    expect(text(app, "Permissions")).toBe("ReadWriteDocument");
    expect(attr(overrides, "xsi:type")).toBe("VersionOverridesV1_0");
    expect(attr(overrides, "xmlns")).toBe("http://schemas.microsoft.com/office/taskpaneappversionoverrides");
  });

  test("keeps the top-level elements in the order the OfficeApp schema requires", () => {
    const schemaOrder = [
      "Id",
      "AlternateId",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "Dictionary",
      "VersionOverrides",
    ];
    const elements = Object.keys(app).filter((k) => !k.startsWith("@_"));
    expect(elements.filter((e) => !schemaOrder.includes(e))).toEqual([]);
    expect(elements).toEqual(schemaOrder.filter((e) => elements.includes(e)));
  });

  test("puts a button on the Home tab that opens the task pane, with a function file", () => {
    expect(attr(child(desktop, "FunctionFile"), "resid")).toBe("Commands.Url");
    expect(urls.get("Commands.Url")).toBe(`${DEV_BASE_URL}commands.html`);

    const surface = children(desktop, "ExtensionPoint").find((e) => attr(e, "xsi:type") === "PrimaryCommandSurface");
    const homeTab = children(surface, "OfficeTab").find((t) => attr(t, "id") === "TabHome");
    expect(homeTab).toBeDefined();
    const group = children(homeTab, "Group")[0]!;
    expect(shortStrings.get(attr(child(group, "Label"), "resid"))).toBe("Sidecar");
    const buttons = children(group, "Control").filter((c) => attr(c, "xsi:type") === "Button");
    const show = buttons.find((b) => attr(child(b, "Action"), "xsi:type") === "ShowTaskpane");
    expect(show).toBeDefined();
    const action = child(show, "Action");
    expect(text(action, "TaskpaneId")).toBe("ButtonId1");
    expect(urls.get(attr(child(action, "SourceLocation"), "resid"))).toBe(`${DEV_BASE_URL}taskpane.html`);

    const getStarted = child(desktop, "GetStarted");
    expect(shortStrings.has(attr(child(getStarted, "Title"), "resid"))).toBe(true);
    expect(longStrings.has(attr(child(getStarted, "Description"), "resid"))).toBe(true);
    expect(urls.get(attr(child(getStarted, "LearnMoreUrl"), "resid"))).toMatch(/^https:\/\//);
  });

  test("resolves every resid to a resource of the right kind and length", () => {
    const resids = [...MANIFEST_XML.matchAll(/\sresid="([^"]+)"/g)].map((m) => m[1]!);
    expect(resids.length).toBeGreaterThan(0);
    for (const id of resids) {
      expect(id.length).toBeLessThanOrEqual(32);
      expect([images, urls, shortStrings, longStrings].some((table) => table.has(id))).toBe(true);
    }
    for (const value of shortStrings.values()) expect(value.length).toBeLessThanOrEqual(125);
    for (const value of longStrings.values()) expect(value.length).toBeLessThanOrEqual(250);
  });

  test("has a German (de-DE) override for its name, description and every string Word shows", () => {
    const overrides = (node: XmlNode) => children(node, "Override").concat(children(node, "bt:Override"));
    const german = (node: XmlNode) => overrides(node).find((o) => attr(o, "Locale") === "de-DE");
    for (const name of ["DisplayName", "Description"]) {
      const value = german(child(app, name));
      expect({ name, value: value && attr(value, "Value") }).toEqual({ name, value: expect.any(String) });
    }
    expect(attr(german(child(app, "Description"))!, "Value")).toMatch(/Dokument/);
    expect(attr(german(child(app, "Description"))!, "Value").length).toBeLessThanOrEqual(250);
    const strings = [...MANIFEST_XML.matchAll(/<bt:String id="([^"]+)"[^>]*?(\/?)>/g)];
    expect(strings.length).toBeGreaterThan(0);
    for (const [, id, selfClosing] of strings) expect({ id, hasOverride: selfClosing === "" && new RegExp(`<bt:String id="${id}"[^>]*>\\s*<bt:Override Locale="de-DE"`).test(MANIFEST_XML) }).toEqual({ id, hasOverride: true });
  });

  test("uses only the icon sizes Office supports, including the required 16, 32 and 80", () => {
    const iconLists = [...MANIFEST_XML.matchAll(/<Icon>([\s\S]*?)<\/Icon>/g)].map((m) => m[1]!);
    expect(iconLists.length).toBeGreaterThan(0);
    for (const list of iconLists) {
      const sizes = [...list.matchAll(/size="(\d+)"/g)].map((m) => Number(m[1]));
      expect(sizes).toEqual(expect.arrayContaining([16, 32, 80]));
      for (const size of sizes) expect([16, 20, 24, 32, 40, 48, 64, 80]).toContain(size);
    }
  });

  test("points every icon at a PNG whose size matches the size it is declared with", () => {
    requireDist();
    const declared: Array<[string, number]> = [
      [attr(child(app, "IconUrl"), "DefaultValue"), 32],
      [attr(child(app, "HighResolutionIconUrl"), "DefaultValue"), 64],
    ];
    for (const m of MANIFEST_XML.matchAll(/<bt:Image\s+size="(\d+)"\s+resid="([^"]+)"/g)) {
      const url = images.get(m[2]!);
      expect(url).toBeDefined();
      declared.push([url!, Number(m[1])]);
    }
    for (const [url, size] of declared) {
      const file = distFileFor(url);
      expect(existsSync(file)).toBe(true);
      expect(pngSize(file)).toEqual({ width: size, height: size });
      // The committed source asset is the same file.
      expect(readFileSync(file)).toEqual(readFileSync(join(ROOT, relative(DIST, file))));
    }
  });

  test("serves every URL in it, help links included, from a file in dist/", () => {
    requireDist();
    const all = [...MANIFEST_XML.matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]);
    // AppDomains are origins, not files; everything else must be a file of the build.
    const appDomains = [...MANIFEST_XML.matchAll(/<AppDomain>([^<]+)<\/AppDomain>/g)].map((m) => m[1]!.trim());
    const ours = all.filter((u) => !u.startsWith("http://schemas.microsoft.com/") && !u.startsWith("http://www.w3.org/") && !appDomains.includes(u));
    expect(ours.length).toBeGreaterThanOrEqual(7);
    for (const url of ours) expect({ url, local: url.startsWith(DEV_BASE_URL), exists: existsSync(distFileFor(url)) }).toEqual({ url, local: true, exists: true });
    // The help page the SupportUrl and the Get Started "learn more" link point at is part of the build.
    expect(attr(child(app, "SupportUrl"), "DefaultValue")).toBe(`${DEV_BASE_URL}help.html`);
    expect(urls.get("GetStarted.LearnMoreUrl")).toBe(`${DEV_BASE_URL}help.html`);
    expect(readFileSync(distFileFor(`${DEV_BASE_URL}help.html`), "utf8")).toContain("Sidecar help");
  });
});

// ---- production URL rewrite ----------------------------------------------------------------------

describe("production manifest URLs (scripts/manifest-urls.js)", () => {
  const base = "https://sidecar.example.com/";
  const devUrlCount = MANIFEST_XML.split(DEV_BASE_URL).length - 1;

  test("replaces every dev URL with the base URL and leaves no localhost behind", () => {
    const rewritten = rewriteManifestUrls(MANIFEST_XML, base);
    expect(rewritten).not.toMatch(/localhost/i);
    expect(rewritten.split(base).length - 1).toBe(devUrlCount);
    expect(XMLValidator.validate(rewritten)).toBe(true);

    const prodApp = child(parse(rewritten), "OfficeApp");
    expect(children(child(prodApp, "AppDomains"), "AppDomain")).toEqual(["https://sidecar.example.com"]);
    expect(attr(child(child(prodApp, "DefaultSettings"), "SourceLocation"), "DefaultValue")).toBe(`${base}taskpane.html`);
    expect(attr(child(prodApp, "IconUrl"), "DefaultValue")).toBe(`${base}assets/icon-32.png`);
    // External links and everything else are untouched.
    expect(rewritten.split(DEV_BASE_URL).join(base)).toBe(MANIFEST_XML.split(DEV_BASE_URL).join(base).replace("<AppDomain>https://localhost:3000</AppDomain>", "<AppDomain>https://sidecar.example.com</AppDomain>"));
  });

  test("the rewritten manifest still parses with the Office tools' reader", async () => {
    const info = await readWithOfficeTools(rewriteManifestUrls(MANIFEST_XML, base));
    expect(info.defaultSettings?.sourceLocation).toBe(`${base}taskpane.html`);
    expect(info.appDomains).toEqual(["https://sidecar.example.com"]);
  });

  test("supports a base URL with a path, with or without the trailing slash", () => {
    for (const given of ["https://host.example.org/tools/sidecar", "https://host.example.org/tools/sidecar/"]) {
      const rewritten = rewriteManifestUrls(MANIFEST_XML, given);
      expect(rewritten).toContain('"https://host.example.org/tools/sidecar/taskpane.html"');
      expect(rewritten).toContain("<AppDomain>https://host.example.org</AppDomain>");
      expect(rewritten).not.toMatch(/localhost/i);
    }
  });

  test("keeps the manifest unchanged without a base URL", () => {
    expect(rewriteManifestUrls(MANIFEST_XML, undefined)).toBe(MANIFEST_XML);
    expect(rewriteManifestUrls(MANIFEST_XML, "")).toBe(MANIFEST_XML);
  });

  test("takes --env baseUrl before SIDECAR_BASE_URL and refuses what Office cannot load", () => {
    expect(resolveBaseUrl({ baseUrl: "https://a.example.com" }, { SIDECAR_BASE_URL: "https://b.example.com/" })).toBe("https://a.example.com/");
    expect(resolveBaseUrl({}, { SIDECAR_BASE_URL: "https://b.example.com/x" })).toBe("https://b.example.com/x/");
    expect(resolveBaseUrl({}, {})).toBeUndefined();
    expect(() => normalizeBaseUrl("http://sidecar.example.com/")).toThrow(/https/);
    expect(() => normalizeBaseUrl("sidecar.example.com")).toThrow(/absolute https URL/);
    expect(() => normalizeBaseUrl("https://sidecar.example.com/?v=1")).toThrow(/query/);
  });

  test("dist/manifest.xml is the manifest rewritten for the base URL it was built with", () => {
    requireDist();
    const info = JSON.parse(readFileSync(join(DIST, "build-info.json"), "utf8")) as { baseUrl: string | null };
    expect(readFileSync(join(DIST, "manifest.xml"), "utf8")).toBe(rewriteManifestUrls(MANIFEST_XML, info.baseUrl));
  });
});

// ---- built pages -----------------------------------------------------------------------------------

describe("built pages (dist/)", () => {
  const read = (name: string) => {
    requireDist();
    return readFileSync(join(DIST, name), "utf8");
  };

  test("taskpane.html loads the bundled office.js before the pane's scripts and has the root element", () => {
    const html = read("taskpane.html");
    const scripts = scriptSources(html);
    expect(scripts[0]).toBe("assets/office-js/office.js");
    expect(existsSync(join(DIST, "assets/office-js/office.js"))).toBe(true);
    expect(scripts.some((s) => /^taskpane\.[^/]*js$/.test(s))).toBe(true);
    for (const s of scripts) expect(existsSync(join(DIST, s))).toBe(true);
    expect(html).toMatch(/<div id=("|')?root\1?>/);
    expect(html).toMatch(/<meta name=("|')?viewport/);
  });

  test("commands.html loads office.js and the commands bundle", () => {
    const scripts = scriptSources(read("commands.html"));
    expect(scripts[0]).toBe("assets/office-js/office.js");
    expect(scripts.some((s) => /^commands\.[^/]*js$/.test(s))).toBe(true);
  });

  test("index.html (browser tab) runs the same pane without office.js", () => {
    const html = read("index.html");
    const scripts = scriptSources(html);
    expect(scripts.some((s) => s.includes("office"))).toBe(false);
    expect(scripts).toEqual(scriptSources(read("taskpane.html")).slice(1));
    expect(html).toMatch(/<div id=("|')?root\1?>/);
  });

  test("nothing is loaded from a CDN", () => {
    requireDist();
    for (const file of readdirSync(DIST).filter((f) => f.endsWith(".html"))) {
      const html = read(file);
      expect({ file, cdn: /appsforoffice\.microsoft\.com|ajax\.aspnetcdn\.com/i.test(html) }).toEqual({ file, cdn: false });
      for (const src of scriptSources(html)) expect({ file, src, absolute: /^(https?:)?\/\//.test(src) }).toEqual({ file, src, absolute: false });
    }
  });

  test("ships the office.js files Word loads at run time, and no debug builds", () => {
    requireDist();
    const dir = join(DIST, "assets/office-js");
    for (const name of [
      "office.js",
      "o15apptofilemappingtable.js",
      "word-win32-16.01.js",
      "word-win32-16.00.js",
      "word-web-16.00.js",
      "word-mac-16.00.js",
      "en-us/office_strings.js",
    ]) {
      expect({ name, exists: existsSync(join(dir, name)) }).toEqual({ name, exists: true });
    }
    expect(filesUnder(dir).filter((f) => f.endsWith(".debug.js"))).toEqual([]);
  });
});
