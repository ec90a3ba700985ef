import { describe, expect, it, vi } from "vitest";
import path from "node:path";
import type { IpcMainInvokeEvent } from "electron";
import { callNames, PICK_MODEL_FILE, SHOW_MODEL_IN_FOLDER } from "../../electron/shared/contract";
import { createCore } from "../../electron/core/createCore";
import { createHandlers } from "../../electron/core/api/handlers";
import { registerFileDialog, registerIpc, registerShowInFolder } from "../../electron/main/ipc";
import { tempDir } from "../support/tempDir";

// Electron's binary is not needed: the wiring is tested against a recording ipcMain.
vi.mock("electron", () => ({}));

type Listener = (event: IpcMainInvokeEvent, input: unknown) => unknown;

function wire() {
  const channels = new Map<string, Listener>();
  const core = createCore({ dataDir: path.join(tempDir(), "data") });
  const trusted = { sender: "ours" } as unknown as IpcMainInvokeEvent;
  registerIpc(
    { handle: (channel: string, listener: Listener) => void channels.set(channel, listener) } as never,
    createHandlers(core),
    (event) => event === trusted,
  );
  return { channels, trusted, core };
}

describe("Electron IPC wiring", () => {
  it("registers a handler for every contract channel and nothing else", () => {
    const { channels } = wire();
    expect([...channels.keys()].sort()).toEqual([...callNames].sort());
  });

  it("answers the trusted window, validating its input", async () => {
    const { channels, trusted } = wire();
    expect(await channels.get("conversations.create")!(trusted, { title: "Hi" })).toMatchObject({ ok: true, value: { title: "Hi" } });
    expect(await channels.get("conversations.rename")!(trusted, { id: 1 })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });

  it("refuses a call from an unexpected sender before touching the core", async () => {
    const { channels, core } = wire();
    const stranger = { sender: "someone else" } as unknown as IpcMainInvokeEvent;
    expect(await channels.get("conversations.create")!(stranger, { title: "Injected" })).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    expect(core.conversations.listConversations()).toEqual([]);
  });
});

describe("the desktop file dialog", () => {
  const trusted = { sender: "ours" } as unknown as IpcMainInvokeEvent;
  const wireDialog = (result: { canceled: boolean; filePaths: string[] }) => {
    const channels = new Map<string, Listener>();
    const dialog = vi.fn(async () => result);
    registerFileDialog(
      { handle: (channel: string, listener: Listener) => void channels.set(channel, listener) } as never,
      dialog,
      (event) => event === trusted,
    );
    return { pick: channels.get(PICK_MODEL_FILE)!, dialog };
  };

  it("answers the picked path, or null when cancelled", async () => {
    expect(await wireDialog({ canceled: false, filePaths: ["/models/a.gguf"] }).pick(trusted, undefined)).toBe("/models/a.gguf");
    expect(await wireDialog({ canceled: true, filePaths: [] }).pick(trusted, undefined)).toBeNull();
  });

  it("never opens a dialog for another sender", async () => {
    const { pick, dialog } = wireDialog({ canceled: false, filePaths: ["/etc/passwd"] });
    expect(await pick({ sender: "someone else" } as unknown as IpcMainInvokeEvent, undefined)).toBeNull();
    expect(dialog).not.toHaveBeenCalled();
  });
});

describe("show a model in its folder", () => {
  const trusted = { sender: "ours" } as unknown as IpcMainInvokeEvent;
  const wireReveal = () => {
    const channels = new Map<string, Listener>();
    const shown = vi.fn();
    const paths: Record<string, string> = { "model-a": "/models/a.gguf" };
    registerShowInFolder(
      { handle: (channel: string, listener: Listener) => void channels.set(channel, listener) } as never,
      (id) => paths[id] ?? null,
      shown,
      (event) => event === trusted,
    );
    return { reveal: channels.get(SHOW_MODEL_IN_FOLDER)!, shown };
  };

  it("reveals a library model's file by its id, and nothing else", async () => {
    const { reveal, shown } = wireReveal();
    expect(await reveal(trusted, "model-a")).toBe(true);
    expect(shown).toHaveBeenCalledWith("/models/a.gguf");
    expect(await reveal(trusted, "/etc/passwd")).toBe(false);
    expect(await reveal(trusted, { path: "/etc" })).toBe(false);
    expect(await reveal({ sender: "someone else" } as unknown as IpcMainInvokeEvent, "model-a")).toBe(false);
    expect(shown).toHaveBeenCalledTimes(1);
  });
});

describe("the sender check", () => {
  it("trusts only the window's own main frame showing the renderer, and never throws on an odd URL", async () => {
    const { isTrustedFrame } = await import("../../electron/main/trustedFrame");
    const main = { url: "file:///app/out/renderer/index.html" };
    expect(isTrustedFrame(main, main, undefined)).toBe(true);
    expect(isTrustedFrame({ url: main.url }, main, undefined)).toBe(false); // another frame with the same URL
    expect(isTrustedFrame(null, main, undefined)).toBe(false);
    expect(isTrustedFrame(main, null, undefined)).toBe(false);
    for (const url of ["", "not a url", "https://evil.example/"]) {
      const frame = { url };
      expect(() => isTrustedFrame(frame, frame, undefined)).not.toThrow();
      expect(isTrustedFrame(frame, frame, undefined)).toBe(false);
    }
    const dev = { url: "http://localhost:5173/" };
    expect(isTrustedFrame(dev, dev, "http://localhost:5173")).toBe(true);
    expect(isTrustedFrame({ url: "http://localhost:5174/" } as typeof dev, dev, "http://localhost:5173")).toBe(false);
  });
});
