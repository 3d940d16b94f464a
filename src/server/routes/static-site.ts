// The built task pane (webpack output) at "/": index.html for the browser tab, taskpane.html
// for Word, commands.html, assets/. API paths never fall through to these files.
import fs from "node:fs";
import path from "node:path";
import fastifyStatic, { type SetHeadersResponse } from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { isApiPath } from "../http/api-paths";

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sidecar: pane not built</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem">
<h1>The Sidecar pane is not built yet</h1>
<p>The server is running, but it has no task pane to show. In the project folder run</p>
<pre>npm run build</pre>
<p>and then reload this page.</p>
</body>
</html>
`;

// webpack's content-hashed names, e.g. main.3f2a9c1b7d.js or vendor-0a1b2c3d4e5f.css.map
const CONTENT_HASHED = /[.\-_][0-9a-f]{8,}(\.[a-z0-9]+)+$/i;

function setCacheHeaders(response: SetHeadersResponse, filePath: string): void {
  const name = path.basename(filePath);
  const immutable = !/\.html?$/i.test(name) && CONTENT_HASHED.test(name);
  // Office refuses to cache add-in icons served with no-cache/no-store, so images get a plain max-age.
  const image = /\.(png|jpe?g|gif|ico|svg)$/i.test(name);
  response.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : image ? "public, max-age=86400" : "no-cache");
}

export async function staticSite(app: FastifyInstance, { staticDir }: { staticDir: string }): Promise<void> {
  await app.register(fastifyStatic, {
    root: staticDir,
    wildcard: true,
    index: false,
    cacheControl: false,
    dotfiles: "ignore",
    setHeaders: setCacheHeaders,
    allowedPath: (pathname) => !isApiPath(pathname),
  });

  // Checked on each request, so building the pane while the server runs needs no restart.
  app.get("/", async (_request, reply) => {
    if (fs.existsSync(path.join(staticDir, "index.html"))) return reply.sendFile("index.html");
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(NOT_BUILT_PAGE);
  });
}
