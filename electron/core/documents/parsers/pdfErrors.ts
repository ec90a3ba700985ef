import { HearthError } from "../../../shared/errors";

/** The error for a PDF locked with a password, whichever reader met it. */
export function encryptedPdf(name: string): HearthError {
  return new HearthError("INVALID_INPUT", `${name} is encrypted with a password; Hearth cannot read it.`);
}

/** The error for a PDF that cannot be read, and why. */
export function unreadablePdf(name: string, why: string): HearthError {
  return new HearthError("INVALID_INPUT", `${name} is not a readable PDF: ${why}`);
}
