/** Exposes `window.hearth`: functions only, never ipcRenderer itself. */
import { contextBridge, ipcRenderer } from "electron";
import { callNames, eventNames, PICK_MODEL_FILE, SHOW_MODEL_IN_FOLDER } from "../shared/contract";

const allowedCalls = new Set<string>(callNames);
const allowedEvents = new Set<string>(eventNames);

contextBridge.exposeInMainWorld("hearth", {
  invoke: (channel: string, input: unknown) => {
    if (!allowedCalls.has(channel)) return Promise.resolve({ ok: false, error: { code: "INVALID_INPUT", message: `Unknown call: ${channel}` } });
    return ipcRenderer.invoke(channel, input);
  },
  // Desktop only: the system's file dialog. Answers a path, or null when cancelled.
  pickModelFile: (): Promise<string | null> => ipcRenderer.invoke(PICK_MODEL_FILE),
  showModelInFolder: (modelId: string): Promise<boolean> => ipcRenderer.invoke(SHOW_MODEL_IN_FOLDER, modelId),
  on: (event: string, listener: (payload: unknown) => void) => {
    if (!allowedEvents.has(event)) throw new Error(`Unknown event: ${event}`);
    const wrapped = (_: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.off(event, wrapped);
  },
});
