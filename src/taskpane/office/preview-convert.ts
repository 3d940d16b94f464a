// Converts a .docx into (unsanitized) HTML in a Web Worker (preview-worker.ts). Imported only
// where Worker exists; a worker that can't start or fails rejects, and the caller converts on the
// main thread instead (browser/picked-file.ts).

export function convertInWorker(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(/* webpackChunkName: "preview-worker" */ new URL("./preview-worker.ts", import.meta.url));
    } catch (error) {
      reject(error);
      return;
    }
    const done = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<{ html?: string; error?: string }>) => {
      done();
      if (typeof event.data.html === "string") resolve(event.data.html);
      else reject(new Error(event.data.error ?? "The document could not be converted."));
    };
    worker.onerror = (event) => {
      done();
      event.preventDefault();
      reject(new Error(event.message || "The preview worker could not start."));
    };
    const copy = bytes.slice().buffer;
    worker.postMessage({ bytes: copy }, [copy]);
  });
}
