import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { callNames, PICK_MODEL_FILE, SHOW_MODEL_IN_FOLDER, type CallResult } from "../shared/contract";
import { invoke, type Handlers } from "../core/api/handlers";

const refused: CallResult<never> = { ok: false, error: { code: "UNAUTHORIZED", message: "This window may not use Hearth's contract." } };

/** Serves every contract call over Electron IPC: the sender is checked, then the input, then the core answers. */
export function registerIpc(ipcMain: Pick<IpcMain, "handle">, handlers: Handlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const name of callNames) {
    ipcMain.handle(name, (event, input: unknown) => (isTrustedSender(event) ? invoke(handlers, name, input) : refused));
  }
}

/** The system's file dialog, so a GGUF can be picked instead of typed. */
export function registerFileDialog(
  ipcMain: Pick<IpcMain, "handle">,
  showOpenDialog: () => Promise<{ canceled: boolean; filePaths: string[] }>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  ipcMain.handle(PICK_MODEL_FILE, async (event) => {
    if (!isTrustedSender(event)) return null;
    const picked = await showOpenDialog();
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
}

/** Opens the folder of a library model; the renderer names a model id, so it can reveal nothing else. */
export function registerShowInFolder(
  ipcMain: Pick<IpcMain, "handle">,
  modelPath: (modelId: string) => string | null,
  showItemInFolder: (file: string) => void,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  ipcMain.handle(SHOW_MODEL_IN_FOLDER, (event, modelId: unknown) => {
    if (!isTrustedSender(event) || typeof modelId !== "string") return false;
    const file = modelPath(modelId);
    if (!file) return false;
    showItemInFolder(file);
    return true;
  });
}
