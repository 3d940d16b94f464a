// What a screen reader should hear when something finishes out of sight: an answer done, a
// generation Ready or Failed, an upload done, a batch job finished. Features call `announce(…)`;
// <LiveAnnouncer/> (mounted once, outside the pane's <main>) is a polite live region that speaks each
// message once. Messages are queued so two outcomes in the same moment are both read, in order, and
// each is cleared after a while so the region does not keep old news. Until the region is mounted
// (a feature rendered on its own, in a test), announce does nothing.
import { useEffect, useRef } from "react";

type Listener = (message: string) => void;
let listener: Listener | undefined;

/** Says `message` to screen readers (politely: after what they are reading now). */
export function announce(message: string): void {
  if (message.trim()) listener?.(message);
}

/** How long a message stays in the live region before it is cleared. */
const KEEP_MS = 5000;
/** Time between two queued messages, so the screen reader sees two changes. */
const GAP_MS = 150;

const visuallyHidden = {
  position: "absolute",
  width: "1px",
  height: "1px",
  margin: "-1px",
  padding: 0,
  border: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
} as const;

export function LiveAnnouncer() {
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const queue: string[] = [];
    let busy: ReturnType<typeof setTimeout> | undefined;
    let clear: ReturnType<typeof setTimeout> | undefined;
    const next = () => {
      busy = undefined;
      const message = queue.shift();
      const element = region.current;
      if (message === undefined || !element) return;
      // A new child element each time: some screen readers miss a text-only change.
      const line = document.createElement("p");
      line.textContent = message;
      element.replaceChildren(line);
      clearTimeout(clear);
      clear = setTimeout(() => element.replaceChildren(), KEEP_MS);
      busy = setTimeout(next, GAP_MS);
    };
    listener = (message) => {
      queue.push(message);
      if (!busy) next();
    };
    return () => {
      listener = undefined;
      clearTimeout(busy);
      clearTimeout(clear);
    };
  }, []);
  return <div ref={region} id="sidecar-announcements" role="status" aria-live="polite" aria-atomic="true" style={visuallyHidden} />;
}
