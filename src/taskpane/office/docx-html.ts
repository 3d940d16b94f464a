// mammoth's (unsanitized) HTML for a .docx, on this thread: the browser tab's preview
// (browser/picked-file.ts) and the sections written in place (features/write/section-content.ts)
// both read generated or picked documents through it. mammoth is loaded on first use: Word
// itself needs it only when a section is written in place.

export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const arrayBuffer = bytes.slice().buffer;
  // The browser build of mammoth reads `arrayBuffer`; its Node build (Jest) reads `buffer`.
  const input = { arrayBuffer, buffer: arrayBuffer } as unknown as { arrayBuffer: ArrayBuffer };
  const { default: mammoth } = await import(/* webpackChunkName: "preview" */ "mammoth");
  return (await mammoth.convertToHtml(input)).value;
}
