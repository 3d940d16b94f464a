import { createHash, webcrypto } from "node:crypto";
import { sha256Fallback, sha256Hex } from "../../../src/taskpane/office/sha256";

const expected = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const hex = (digest: Uint8Array) => Buffer.from(digest).toString("hex");

function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 151 + 17) & 0xff;
  return bytes;
}

test("the plain implementation matches SHA-256 at every padding boundary", () => {
  expect(hex(sha256Fallback(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(hex(sha256Fallback(new TextEncoder().encode("abc")))).toBe(
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
    expect(hex(sha256Fallback(pattern(length)))).toBe(expected(pattern(length)));
  }
});

test("a view into a larger buffer hashes only its own bytes", () => {
  const whole = pattern(300);
  const view = whole.subarray(13, 213);
  expect(hex(sha256Fallback(view))).toBe(expected(whole.slice(13, 213)));
});

test("sha256Hex gives the same digest with and without crypto.subtle", async () => {
  const bytes = pattern(5000);
  const original = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  try {
    Object.defineProperty(globalThis, "crypto", { value: {}, configurable: true }); // no subtle (plain-http page)
    await expect(sha256Hex(bytes)).resolves.toBe(expected(bytes));
    Object.defineProperty(globalThis, "crypto", { value: webcrypto, configurable: true });
    await expect(sha256Hex(bytes)).resolves.toBe(expected(bytes));
  } finally {
    if (original) Object.defineProperty(globalThis, "crypto", original);
  }
});
