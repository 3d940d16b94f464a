// Webpack build of the task pane, the ribbon function file and the pages that load them.
// CommonJS on purpose: webpack-cli 7 on Node 20 cannot load a TypeScript config.
//
//   npm run build       production build into dist/ (served by the local server at /)
//   npm run dev-server  https://localhost:3000 for Word (API paths proxied to the local server)
//
// Options (all optional):
//   --env baseUrl=https://host/path/  or SIDECAR_BASE_URL   rewrite dist/manifest.xml for that host
//   SIDECAR_DEV_HTTP=1                                       dev server over plain http
//   PORT (or package.json config.server_port)                local server port the proxy targets
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { resolveBaseUrl, rewriteManifestUrls } = require("./scripts/manifest-urls.js");
const swcTypescript = require("./scripts/swc-typescript.js");
const pkg = require("./package.json");

const OFFICE_JS_DIR = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));

/**
 * Paths the local server answers; the dev server forwards them so the pane can stay same-origin.
 * Derived from the shared endpoint table (loaded through tsx, since this config is CommonJS).
 */
const { require: tsxRequire } = require("tsx/cjs/api");
const SERVER_PATHS = tsxRequire("./src/shared/contract/endpoints.ts", __filename).serverPathPrefixes();

/**
 * Adds `<link rel="preload" as="script">` for the lazy chunks a page needs before its first paint
 * (an HtmlWebpackPlugin's own option `preloadChunks: [chunk names]`): the browser fetches them
 * alongside the entry instead of after it has run. The Word page preloads the Word host, the
 * browser-tab page the browser host (connect-host.ts imports whichever this page turns out to be).
 */
class PreloadChunksPlugin {
  apply(compiler) {
    compiler.hooks.compilation.tap("PreloadChunksPlugin", (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap("PreloadChunksPlugin", (data) => {
        const names = data.plugin.userOptions.preloadChunks ?? [];
        const publicPath = data.publicPath ?? "";
        for (const name of names) {
          const chunkGroup = compilation.namedChunkGroups.get(name);
          if (!chunkGroup) throw new Error(`preloadChunks: no chunk named "${name}" (check the webpackChunkName of its import)`);
          for (const file of chunkGroup.getFiles().filter((f) => f.endsWith(".js"))) {
            data.headTags.push({ tagName: "link", voidTag: true, meta: { plugin: "PreloadChunksPlugin" }, attributes: { rel: "preload", as: "script", href: publicPath + file } });
          }
        }
        return data;
      });
    });
  }
}

function numberFrom(...candidates) {
  for (const value of candidates) {
    const n = Number(value);
    if (value !== undefined && value !== "" && Number.isInteger(n) && n > 0 && n < 65536) return n;
  }
  throw new Error("no valid port configured");
}
const serverPort = () => numberFrom(process.env.PORT, process.env.npm_package_config_server_port, pkg.config?.server_port, 3100);
const devServerPort = () => numberFrom(process.env.npm_package_config_dev_server_port, pkg.config?.dev_server_port, 3000);

/**
 * https options for the dev server. Uses the office-addin-dev-certs files when they exist (trusted once
 * `npx office-addin-dev-certs install` has run, which needs sudo/admin); otherwise webpack-dev-server's own
 * self-signed certificate. Never installs anything, so it cannot fail on a machine without sudo.
 */
function devServerTransport() {
  if (process.env.SIDECAR_DEV_HTTP === "1") return "http";
  const dir = path.join(os.homedir(), ".office-addin-dev-certs");
  const files = { key: "localhost.key", cert: "localhost.crt", ca: "ca.crt" };
  const paths = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(dir, f)]));
  if (Object.values(paths).every((p) => fs.existsSync(p))) {
    return {
      type: "https",
      options: Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, fs.readFileSync(p)])),
    };
  }
  return "https";
}

/** The HTML shell shared by every page. `officeJs` adds office.js before the bundle (Word pages only). */
function page({ title, officeJs, body }) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="X-UA-Compatible" content="IE=Edge" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" type="image/png" href="assets/icon-32.png" />
    ${officeJs ? '<script src="assets/office-js/office.js"></script>' : ""}
    <style>
      html, body { height: 100%; margin: 0; padding: 0; }
      body {
        font-family: "Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif;
        -webkit-font-smoothing: antialiased;
        -moz-osx-font-smoothing: grayscale;
        overflow-x: hidden;
      }
      #root { min-height: 100%; }
    </style>
  </head>
  <body>
    ${body}
  </body>
</html>
`;
}

/** office.js from the npm package, limited to what Word needs at runtime (no CDN at run time). */
function officeJsPatterns() {
  const common = { context: OFFICE_JS_DIR, info: { minimized: true }, globOptions: { ignore: ["**/*.debug.js"] } };
  // [from (relative to the package's dist/), folder under assets/office-js/]
  return [
    ["office.js", ""], // the loader the pages reference
    ["o15apptofilemappingtable.js", ""], // fetched by office.js at start, also outside Office
    ["word-*-16.*.js", ""], // Word host files: win32 16.00/16.01, mac, web, ios
    ["en-us/**", ""], // UI strings; office.js falls back to en-us when the Office language has no folder here
    ["ariatelemetry/aria-web-telemetry.js", "ariatelemetry/"], // loaded by the Word host files
    ["telemetry/oteljs_agave.js", "telemetry/"], // loaded by office.js inside a host
  ].map(([from, dir]) => ({ ...common, from, to: `assets/office-js/${dir}[path][name][ext]` }));
}

/**
 * JS minifier: SWC (@swc/core is already here for Jest) through webpack's own minimizer plugin.
 * Same output size as webpack's default (terser, two compress passes) in half the build time
 * (measured: 7.6 s against 15.4 s on 2 cores). Falls back to the default when either is missing.
 */
function jsMinimizer() {
  try {
    require.resolve("@swc/core");
    const webpackDir = path.dirname(require.resolve("webpack/package.json"));
    const MinimizerPlugin = require(require.resolve("minimizer-webpack-plugin", { paths: [webpackDir] }));
    if (typeof MinimizerPlugin.swcMinify !== "function") return "...";
    return new MinimizerPlugin({
      test: /\.[cm]?js(\?.*)?$/i,
      minify: MinimizerPlugin.swcMinify,
      minimizerOptions: { compress: true, mangle: true },
    });
  } catch {
    return "..."; // webpack's default minimizer
  }
}

/** Writes dist/build-info.json on every build (npm start compares its time with the sources). */
class BuildInfoPlugin {
  constructor(info) {
    this.info = info;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("BuildInfoPlugin", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "BuildInfoPlugin", stage: compilation.constructor.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const json = JSON.stringify({ ...this.info, builtAt: new Date().toISOString() }, null, 2);
        compilation.emitAsset("build-info.json", new compiler.webpack.sources.RawSource(json));
      });
    });
  }
}

module.exports = (env = {}, argv = {}) => {
  const mode = argv.mode === "production" ? "production" : "development";
  const isProd = mode === "production";
  const baseUrl = resolveBaseUrl(env);
  const serving = Boolean(env.WEBPACK_SERVE);
  if (baseUrl) console.log(`[sidecar] dist/manifest.xml: add-in URLs rewritten for ${baseUrl}`);

  return {
    mode,
    context: __dirname,
    entry: {
      taskpane: "./src/taskpane/index.tsx",
      commands: "./src/commands/commands.ts",
      // The sign-in window's page (SSO round trip): tiny, none of the pane's code.
      "auth-dialog": "./src/auth-dialog/main.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: isProd ? "[name].[contenthash:8].js" : "[name].js",
      chunkFilename: isProd ? "[name].[contenthash:8].js" : "[name].js",
      assetModuleFilename: "assets/[name].[contenthash:8][ext]",
      // Relative URLs: the same build works at / (local server, dev server) and under a sub-path.
      publicPath: "auto",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "swc-loader",
            // Type-checking is `npm run typecheck`; the build only strips types.
            options: { ...swcTypescript, sourceMaps: !isProd },
          },
        },
        { test: /\.(png|jpe?g|gif|svg|woff2?)$/i, type: "asset/resource" },
      ],
    },
    devtool: isProd ? false : "eval-cheap-module-source-map",
    performance: { hints: false },
    optimization: {
      minimizer: [jsMinimizer(), "..."], // "...": webpack's defaults for the other asset types (HTML)
      splitChunks: {
        chunks: "all",
        cacheGroups: {
          // The pane's React, Fluent and friends change less often than the app: a separate, long-cached
          // file. Only for the pane's entry, so commands.html never loads the pane's libraries.
          vendors: {
            test: /[\\/]node_modules[\\/]/,
            name: "vendors",
            chunks: (chunk) => chunk.name === "taskpane",
            priority: -10,
            reuseExistingChunk: true,
          },
        },
      },
    },
    plugins: [
      new PreloadChunksPlugin(),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        chunks: ["taskpane"],
        preloadChunks: ["word-host"],
        templateContent: page({ title: "Sidecar", officeJs: true, body: '<div id="root"></div>' }),
      }),
      new HtmlWebpackPlugin({
        filename: "commands.html",
        chunks: ["commands"],
        templateContent: page({ title: "Sidecar commands", officeJs: true, body: "" }),
      }),
      // The sign-in window (src/auth-dialog/): starts on the add-in's domain, goes on to the provider,
      // and hands the returned tokens to the pane. office.js, as an Office dialog needs it for messageParent.
      new HtmlWebpackPlugin({
        filename: "auth-dialog.html",
        chunks: ["auth-dialog"],
        templateContent: page({ title: "Sidecar sign-in", officeJs: true, body: '<main style="padding: 1.5rem"><p id="status" role="status">Signing in…</p></main>' }),
      }),
      // The help page the manifest's SupportUrl points at.
      new HtmlWebpackPlugin({
        filename: "help.html",
        chunks: [],
        templateContent: page({ title: "Sidecar help", officeJs: false, body: fs.readFileSync(path.join(__dirname, "src/help/help.html"), "utf8") }),
      }),
      // The browser-tab page: the same pane without office.js, so it starts at once outside Office.
      new HtmlWebpackPlugin({
        filename: "index.html",
        chunks: ["taskpane"],
        preloadChunks: ["browser-host"],
        templateContent: page({ title: "Sidecar", officeJs: false, body: '<div id="root"></div>' }),
      }),
      new CopyWebpackPlugin({
        patterns: [
          ...officeJsPatterns(),
          { from: "assets/*.png", to: "assets/[name][ext]", info: { minimized: true } },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            info: { minimized: true },
            transform: { transformer: (content) => Buffer.from(rewriteManifestUrls(content.toString("utf8"), baseUrl)), cache: false },
          },
        ],
      }),
      new BuildInfoPlugin({ mode, baseUrl: baseUrl ?? null }),
    ],
    devServer: serving
      ? {
          port: devServerPort(),
          server: devServerTransport(),
          headers: { "Access-Control-Allow-Origin": "*" },
          // No gzip: it would buffer the chat's server-sent events coming through the proxy.
          compress: false,
          static: false,
          historyApiFallback: false,
          client: { overlay: { errors: true, warnings: false, runtimeErrors: false } },
          proxy: [{ context: SERVER_PATHS, target: `http://127.0.0.1:${serverPort()}`, ws: true, xfwd: true, logLevel: "warn" }],
        }
      : undefined,
    stats: isProd ? "normal" : "minimal",
  };
};
