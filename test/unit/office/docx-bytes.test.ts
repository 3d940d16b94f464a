import { randomFillSync } from "node:crypto";
import { bytesToBase64, looksLikeZip } from "../../../src/taskpane/office/docx-bytes";

const nodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  randomFillSync(bytes);
  return bytes;
}

describe("bytesToBase64", () => {
  test("empty input is the empty string", () => {
    expect(bytesToBase64(new Uint8Array(0))).toBe("");
  });

  test.each([1, 2, 3, 4, 5, 7, 100, 255, 1001])("%i bytes (with and without padding) match Node's base64", (length) => {
    const bytes = randomBytes(length);
    expect(bytesToBase64(bytes)).toBe(nodeBase64(bytes));
  });

  test("every byte value survives (no UTF-8 or sign surprises)", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(bytes)).toBe(nodeBase64(bytes));
  });

  test.each([32767, 32768, 32769, 32770, 65537, 65538, 98307])(
    "%i bytes, around the internal chunk size, match Node's base64",
    (length) => {
      const bytes = randomBytes(length);
      expect(bytesToBase64(bytes)).toBe(nodeBase64(bytes));
    },
  );

  test("a 6 MB + 1 byte random document matches Node's base64, without overflowing the stack", () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 1);
    const base64 = bytesToBase64(bytes);
    expect(base64.length).toBe(Math.ceil(bytes.length / 3) * 4);
    expect(base64).toBe(nodeBase64(bytes));
  });

  test("a view into a larger buffer encodes only its own bytes", () => {
    const whole = randomBytes(70000);
    const view = whole.subarray(33, 66000);
    expect(bytesToBase64(view)).toBe(nodeBase64(view));
    expect(bytesToBase64(view)).not.toBe(nodeBase64(whole));
  });
});

describe("looksLikeZip", () => {
  test("a .docx starts with the ZIP signature; text and short input don't", () => {
    expect(looksLikeZip(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe(true);
    expect(looksLikeZip(new TextEncoder().encode("PK but not a zip"))).toBe(false);
    expect(looksLikeZip(new Uint8Array([0x50, 0x4b, 0x03]))).toBe(false);
    expect(looksLikeZip(new Uint8Array(0))).toBe(false);
  });
});
