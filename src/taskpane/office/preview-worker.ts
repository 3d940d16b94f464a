// A Web Worker that converts a .docx into HTML with mammoth, so converting a long document for
// the browser tab's preview doesn't hold the page's main thread (the pane stays responsive while
// the rest of the document is read). The HTML comes back unsanitized: the page sanitizes it
// (DOMPurify needs the DOM). Started by preview-convert.ts, one worker per conversion.
import mammoth from "mammoth";

interface Request {
  bytes: ArrayBuffer;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage: (message: unknown) => void };

scope.onmessage = (event) => {
  const { bytes } = event.data;
  // The browser build of mammoth reads `arrayBuffer`.
  mammoth
    .convertToHtml({ arrayBuffer: bytes })
    .then((result) => scope.postMessage({ html: result.value }))
    .catch((error: unknown) => scope.postMessage({ error: error instanceof Error ? error.message : String(error) }));
};
