// The batch runner's untilAborted (services/batch/runner.ts): a document's tagging is given up when
// the server stops or the document's time runs out, even if the tagging itself can't be cut short.
import { untilAborted } from "../../src/server/services/batch/runner";

test("with the signal aborted already, it rejects at once, and the work's own later rejection is not left unhandled", async () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    const controller = new AbortController();
    controller.abort();
    // The work stops on the same signal a moment later (as the tagger's throwIfAborted does).
    const work = new Promise<string[]>((_, reject) => setTimeout(() => reject(controller.signal.reason), 10));
    await expect(untilAborted(work, controller.signal)).rejects.toBe(controller.signal.reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  } finally {
    process.off("unhandledRejection", listener);
  }
});

test("an abort while working rejects with its reason; work that ends first gives its value", async () => {
  const controller = new AbortController();
  const slow = new Promise<string>((resolve) => setTimeout(() => resolve("late"), 200));
  const racing = untilAborted(slow, controller.signal);
  controller.abort(new Error("the server stops"));
  await expect(racing).rejects.toThrow("the server stops");
  await expect(untilAborted(Promise.resolve(["tag"]), new AbortController().signal)).resolves.toEqual(["tag"]);
});
