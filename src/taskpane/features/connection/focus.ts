// Where focus goes when the control that had it goes away (a link that switched the sign-in
// method, a step of the e-mail code that ended, a sign-in that finished): to the first field of
// what replaced it, so a keyboard or screen-reader user goes on from there instead of from the top
// of the page.
import { useEffect, useRef, type RefObject } from "react";

const FIELD = "input:not([disabled]):not([type=hidden]), textarea:not([disabled]), select:not([disabled])";
const FOCUSABLE = `${FIELD}, button:not([disabled]), a[href], [tabindex]`;

/** Focuses the first field inside `container` (else its first focusable element); false when there is none yet. */
export function focusFirstField(container: HTMLElement | null | undefined): boolean {
  const target = container?.querySelector<HTMLElement>(FIELD) ?? container?.querySelector<HTMLElement>(FOCUSABLE);
  target?.focus();
  return Boolean(target);
}

/** True when focus is on nothing in particular: the element that had it went away or was hidden. */
export function focusWasLost(within?: HTMLElement | null): boolean {
  const active = document.activeElement as HTMLElement | null;
  if (!active || active === document.body || !active.isConnected) return true;
  return Boolean(within?.contains(active) && active.closest("[hidden]"));
}

/**
 * Moves focus into `container` after `key` changes, when the change was asked for (`request()`
 * before it). Changes nobody asked for (a sign-in in another place) leave focus alone.
 */
export function useFocusAfter(key: unknown) {
  const container = useRef<HTMLDivElement>(null);
  const requested = useRef(false);
  useEffect(() => {
    if (!requested.current) return;
    requested.current = false;
    focusFirstField(container.current);
  }, [key]);
  return {
    container,
    request: () => {
      requested.current = true;
    },
  };
}

/** Whether the last element focused on the page was inside `container` (still true after that element went away). */
export function useLastFocusInside(container: RefObject<HTMLElement | null>) {
  const inside = useRef(false);
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      inside.current = Boolean(container.current?.contains(event.target as Node));
    };
    document.addEventListener("focusin", onFocusIn);
    return () => document.removeEventListener("focusin", onFocusIn);
  }, [container]);
  return inside;
}
