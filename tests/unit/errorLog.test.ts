import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorLogPath, logError, openErrorLog } from "../../electron/core/errorLog";
import { tempDir } from "../support/tempDir";

describe("the error log", () => {
  it("writes a bug with its stack to the data folder, without tokens, and rotates past 1 MiB", () => {
    const logs = path.join(tempDir(), "logs");
    openErrorLog(logs);
    const file = errorLogPath()!;
    logError(new Error("request with Bearer hf_abcdefghijklmnop and ?token=s3cr3t failed"), "test");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toMatch(/\[test\] Error: request with Bearer … and \?token=… failed/);
    expect(text).toMatch(/\n\s+at /);
    expect(text).not.toMatch(/hf_abcdefghijklmnop|s3cr3t/);
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    fs.appendFileSync(file, "x".repeat(1024 * 1024));
    logError(new Error("after the rotation"));
    expect(fs.readFileSync(file, "utf8")).toMatch(/after the rotation/);
    expect(fs.statSync(`${file}.1`).size).toBeGreaterThan(1024 * 1024);
  });
});
