// Small helpers for .docx bytes on their way into Office: the ZIP signature check, and base64 for
// the Word APIs that only take a base64 string (createDocument, insertFileFromBase64).

/** 3 × 10,923 = 32,769 bytes: a multiple of 3, so each chunk's base64 has no padding in the middle. */
const BASE64_CHUNK = 3 * 10923;

/**
 * The standard base64 (with "=" padding) of `bytes`, the same as Node's
 * `Buffer.from(bytes).toString("base64")`. Works on ~32 KB subarrays (no copy of the whole file
 * into a number[] or one huge binary string), so a multi-MB document costs about its base64 size.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += BASE64_CHUNK) {
    const chunk = bytes.subarray(at, at + BASE64_CHUNK);
    // apply() takes any array-like: the typed subarray is a view, not a copy.
    parts.push(btoa(String.fromCharCode.apply(null, chunk as unknown as number[])));
  }
  return parts.join("");
}

/** True when `bytes` start like a ZIP file (a .docx is one): "PK\x03\x04". */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The media type of a .docx (the Blob readDocument returns, the upload's file part). */
export const DOCX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
