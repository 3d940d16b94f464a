// useState that survives closing and reopening the pane (localStorage).
import { useCallback, useState } from "react";
import { readJson, writeJson } from "../api/local-store";

export function usePersistentState<T>(key: string, initial: T | (() => T)): [T, (value: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = readJson<T>(key);
    if (stored !== undefined) return stored;
    return typeof initial === "function" ? (initial as () => T)() : initial;
  });
  const set = useCallback(
    (next: T | ((previous: T) => T)) =>
      setValue((previous) => {
        const resolved = typeof next === "function" ? (next as (p: T) => T)(previous) : next;
        writeJson(key, resolved);
        return resolved;
      }),
    [key],
  );
  return [value, set];
}
