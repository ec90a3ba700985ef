import { z } from "zod";
import { errorCodes, type HearthErrorData } from "./errors";

export const errorCodeSchema = z.enum(errorCodes);

/** An error as it crosses a boundary: checked like any other data of the contract. */
export const hearthErrorDataSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  suggestion: z.string().optional(),
}) satisfies z.ZodType<HearthErrorData>;
