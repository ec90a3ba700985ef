import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { callNames, type CallResult } from "../shared/contract";
import { invoke, type Handlers } from "../core/api/handlers";

const refused: CallResult<never> = { ok: false, error: { code: "UNAUTHORIZED", message: "This window may not use Hearth's contract." } };

/** Serves every contract call over Electron IPC: the sender is checked, then the input, then the core answers. */
export function registerIpc(ipcMain: Pick<IpcMain, "handle">, handlers: Handlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const name of callNames) {
    ipcMain.handle(name, (event, input: unknown) => (isTrustedSender(event) ? invoke(handlers, name, input) : refused));
  }
}
