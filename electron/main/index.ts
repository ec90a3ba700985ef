/**
 * Electron glue only: the window, its security settings, and the contract served over IPC.
 * Everything else is core, which also runs under the CLI and browser mode.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, type WebFrameMain } from "electron";
import path from "node:path";
import { createCore } from "../core/createCore";
import { createHandlers, forwardEvents } from "../core/api/handlers";
import { registerFileDialog, registerIpc, registerShowInFolder } from "./ipc";
import { isTrustedFrame } from "./trustedFrame";
import { utilityEngine } from "./utilityEngine";

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
let window: BrowserWindow | null = null;

/** Only our own page, in our own window, may call the contract. */
function isTrustedSender(frame: WebFrameMain | null): boolean {
  return isTrustedFrame(frame, window?.webContents.mainFrame ?? null, rendererUrl);
}

/**
 * safeStorage where it has a real key: on Linux without a keyring it falls back to a fixed
 * password ("basic_text"), which protects nothing, so the OS keychain (or the file) is used instead.
 */
function secretCipher() {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === "linux" && safeStorage.getSelectedStorageBackend() === "basic_text") return undefined;
  return safeStorage;
}

/** Nothing the page asks for (camera, notifications, geolocation...) is granted; no other contents may open or navigate. */
function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-attach-webview", (event) => event.preventDefault());
    contents.on("will-navigate", (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: "deny" };
    });
  });
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
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(path.join(import.meta.dirname, "../renderer/index.html"));
  return win;
}

// One app per data folder: a second launch focuses the running window instead of sharing the database.
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on("second-instance", () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.whenReady().then(start);
}

function start(): void {
  lockDownSessions();
  const core = createCore({
    secretCipher: secretCipher(),
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
  registerShowInFolder(
    ipcMain,
    (id) => core.library.find(id)?.path ?? null,
    (file) => shell.showItemInFolder(file),
    (event) => isTrustedSender(event.senderFrame),
  );
  forwardEvents(core, (event, payload) => window?.webContents.send(event, payload));
  core.downloads.startQueue();
  // The API starts with the app when the Server page says so.
  void core.api.autoStart();

  window = createWindow();
  app.on("window-all-closed", () => {
    void core.close().finally(() => app.quit());
  });
}
