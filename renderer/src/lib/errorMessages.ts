import type { ErrorCode, HearthErrorData } from "../../../electron/shared/errors";

/** What the user reads for each error code: one place for every message. */
const titles: Record<ErrorCode, string> = {
  INVALID_INPUT: "That did not work",
  NOT_FOUND: "Not found",
  MODEL_FILE_MISSING: "The model file is missing",
  MODEL_INVALID: "The model file cannot be used",
  MODEL_NOT_LOADED: "No model is loaded",
  OUT_OF_MEMORY: "Not enough memory",
  CONTEXT_OVERFLOW: "The conversation is too long for the context",
  ENGINE_CRASHED: "The engine crashed and was restarted",
  ENGINE_BUSY: "The engine is busy",
  ABORTED: "Stopped",
  OFFLINE: "Offline mode is on",
  NETWORK: "Network problem",
  HUB_NOT_FOUND: "Not found on the hub",
  HUB_UNAUTHORIZED: "This model needs a token",
  DISK_FULL: "The disk is full",
  VERIFY_FAILED: "The download was corrupt",
  UNAUTHORIZED: "Not allowed",
  ALREADY_EXISTS: "Already there",
  IN_USE: "In use by another Hearth",
  MODEL_OUTPUT: "The model's answer could not be used",
  INTERNAL: "Something went wrong in Hearth",
};

export function describeError(error: HearthErrorData): { title: string; detail: string; suggestion?: string } {
  return { title: titles[error.code] ?? "Error", detail: error.message, suggestion: error.suggestion };
}
