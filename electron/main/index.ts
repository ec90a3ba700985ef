/**
 * Electron glue only: the window, its security settings, and the contract served over IPC.
 * Everything else is core, which also runs under the CLI and browser mode.
 */
import { app, BrowserWindow, dialog, ipcMain, shell, type WebFrameMain } from "electron";
import path from "node:path";
import { createCore } from "../core/createCore";
import { createHandlers, forwardEvents } from "../core/api/handlers";
import { registerFileDialog, registerIpc, registerShowInFolder } from "./ipc";
import { utilityEngine } from "./utilityEngine";

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
let window: BrowserWindow | null = null;

/** Only our own page, in our own window, may call the contract. */
function isTrustedSender(frame: WebFrameMain | null): boolean {
  if (!frame || !window || frame !== window.webContents.mainFrame) return false;
  const url = new URL(frame.url);
  return rendererUrl ? url.origin === new URL(rendererUrl).origin : url.protocol === "file:";
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: "Hearth",
    webPreferences: {
      preload: path.join(import.meta.dirname, "../preload/index.cjs"),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event) => event.preventDefault());
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(path.join(import.meta.dirname, "../renderer/index.html"));
  return win;
}

app.whenReady().then(() => {
  const core = createCore({
    dataDir: app.getPath("userData"),
    spawnEngine: utilityEngine(path.join(import.meta.dirname, "engineWorker.js")),
    // better-sqlite3 built for Electron, kept apart from node_modules' Node build (scripts/electronSqlite.mjs).
    sqliteBinding: process.env.HEARTH_SQLITE_ELECTRON_BINDING ?? path.join(app.getAppPath(), "resources/native/better_sqlite3.node"),
  });
  registerIpc(ipcMain, createHandlers(core), (event) => isTrustedSender(event.senderFrame));
  registerFileDialog(
    ipcMain,
    () => dialog.showOpenDialog(window!, { title: "Import a model", properties: ["openFile"], filters: [{ name: "GGUF models", extensions: ["gguf"] }] }),
    (event) => isTrustedSender(event.senderFrame),
  );
  registerShowInFolder(ipcMain, (id) => core.library.find(id)?.path ?? null, (file) => shell.showItemInFolder(file), (event) => isTrustedSender(event.senderFrame));
  forwardEvents(core, (event, payload) => window?.webContents.send(event, payload));
  core.downloads.startQueue();

  window = createWindow();
  app.on("window-all-closed", () => {
    void core.close().finally(() => app.quit());
  });
});
