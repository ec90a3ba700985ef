import { InvalidArgumentError } from "commander";
import type { GpuLayers } from "../shared/contract";

/** Option value parsers: a bad value is a usage error with a message that says what is wanted. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}.`);
    }
    return n;
  };
}

export function decimal(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    return n;
  };
}

export function gpuLayers(value: string): GpuLayers {
  if (value === "auto" || value === "off") return value;
  const n = Number(value);
  if (/^\d+$/.test(value) && Number.isSafeInteger(n)) return n;
  throw new InvalidArgumentError("Expected auto, off, or a number of layers.");
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`Expected one of: ${choices.join(", ")}.`);
  };
}

export function nonEmpty(what: string) {
  return (value: string): string => {
    if (value.trim().length === 0) throw new InvalidArgumentError(`The ${what} is empty.`);
    return value;
  };
}
