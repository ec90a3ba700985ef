/**
 * Errors as data. No zod here: the CLI loads this on every start, and `--version` must not pay
 * for a schema library (the schemas of this data are in errorSchema.ts).
 */

/** Every error that crosses a boundary carries one of these codes. */
export const errorCodes = [
  "INVALID_INPUT",
  "NOT_FOUND",
  "MODEL_FILE_MISSING",
  "MODEL_INVALID",
  "MODEL_NOT_LOADED",
  "OUT_OF_MEMORY",
  "CONTEXT_OVERFLOW",
  "ENGINE_CRASHED",
  "ENGINE_BUSY",
  "ABORTED",
  "OFFLINE",
  "NETWORK",
  "HUB_NOT_FOUND",
  "HUB_UNAUTHORIZED",
  "DISK_FULL",
  "VERIFY_FAILED",
  "UNAUTHORIZED",
  "ALREADY_EXISTS",
  "IN_USE",
  "MODEL_OUTPUT",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface HearthErrorData {
  code: ErrorCode;
  message: string;
  suggestion?: string;
}

/** The default suggestion for each code; a thrower may give a more specific one. */
export const errorSuggestions: Partial<Record<ErrorCode, string>> = {
  MODEL_FILE_MISSING: "Check that the file still exists, or import the model again.",
  MODEL_INVALID: "The file is not a complete GGUF model. Download it again or pick another file.",
  MODEL_NOT_LOADED: "Load a model first.",
  OUT_OF_MEMORY: "Try a smaller context size, fewer GPU layers, or a smaller quantization.",
  CONTEXT_OVERFLOW: "Start a new conversation, shorten the message, or load the model with a larger context.",
  ENGINE_CRASHED: "The engine restarted. Your partial reply was saved; send the message again to continue.",
  ENGINE_BUSY: "Wait for the current reply to finish, or stop it.",
  OFFLINE: "Turn off offline mode to allow network access.",
  NETWORK: "Check the connection; Hearth will retry.",
  HUB_UNAUTHORIZED: "This repository is gated: add a Hugging Face token in settings.",
  DISK_FULL: "Free some disk space or choose another models folder.",
  VERIFY_FAILED: "The downloaded file was corrupt and has been deleted. Download it again.",
  ALREADY_EXISTS: "Use the one you have, or remove it first.",
  IN_USE: "Another Hearth process is working on it; wait for it to finish.",
  MODEL_OUTPUT: "Run it again, or use a larger or instruction-tuned model.",
  INTERNAL: "This is a bug in Hearth. Details were written to the log.",
};

export class HearthError extends Error {
  readonly code: ErrorCode;
  readonly suggestion?: string;

  constructor(code: ErrorCode, message: string, options?: { suggestion?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HearthError";
    this.code = code;
    this.suggestion = options?.suggestion ?? errorSuggestions[code];
  }

  toData(): HearthErrorData {
    return { code: this.code, message: this.message, ...(this.suggestion ? { suggestion: this.suggestion } : {}) };
  }

  static fromData(data: HearthErrorData): HearthError {
    return new HearthError(data.code, data.message, { suggestion: data.suggestion });
  }
}

export function isHearthError(value: unknown): value is HearthError {
  return value instanceof HearthError;
}

/** Turns anything thrown into error data; unknown errors become INTERNAL. */
export function toErrorData(error: unknown): HearthErrorData {
  if (isHearthError(error)) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return { code: "INTERNAL", message, suggestion: errorSuggestions.INTERNAL };
}
