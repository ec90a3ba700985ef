import { type Dispatch, type SetStateAction, useCallback, useState } from "react";

/**
 * State kept in this browser's storage under `key`, so a form or a layout choice is as the user
 * left it after leaving the page or reloading. A stored value of the wrong type is ignored.
 */
export function useStoredState<T>(key: string, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => {
    const fallback = typeof initial === "function" ? (initial as () => T)() : initial;
    try {
      const stored = localStorage.getItem(key);
      if (stored === null) return fallback;
      const parsed = JSON.parse(stored) as unknown;
      return typeof parsed === typeof fallback && Array.isArray(parsed) === Array.isArray(fallback) ? (parsed as T) : fallback;
    } catch {
      return fallback;
    }
  });
  const set = useCallback<Dispatch<SetStateAction<T>>>(
    (next) =>
      setValue((current) => {
        const value = typeof next === "function" ? (next as (current: T) => T)(current) : next;
        localStorage.setItem(key, JSON.stringify(value));
        return value;
      }),
    [key],
  );
  return [value, set];
}
