import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import type { HearthErrorData } from "../../../electron/shared/errors";
import { ClientError } from "../transport/hearthClient";

interface ErrorsValue {
  error: HearthErrorData | null;
  report(error: unknown): void;
  dismiss(): void;
}

const ErrorsContext = createContext<ErrorsValue | null>(null);

/** The one place errors from calls land, so the UI shows them the same way everywhere. */
export function ErrorsProvider({ children }: { children: ReactNode }) {
  const [error, setError] = useState<HearthErrorData | null>(null);
  const report = useCallback((e: unknown) => {
    setError(e instanceof ClientError ? e.data : { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) });
  }, []);
  const dismiss = useCallback(() => setError(null), []);
  return <ErrorsContext.Provider value={{ error, report, dismiss }}>{children}</ErrorsContext.Provider>;
}

export function useErrors(): ErrorsValue {
  const value = useContext(ErrorsContext);
  if (!value) throw new Error("useErrors outside ErrorsProvider");
  return value;
}

/** Runs a call's work and reports its failure where errors show (then resolves to undefined). */
export function useReported() {
  const { report } = useErrors();
  return useCallback(
    async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await work();
      } catch (error) {
        report(error);
        return undefined;
      }
    },
    [report],
  );
}
