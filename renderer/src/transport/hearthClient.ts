/**
 * The UI's one way to reach the core: Electron's `window.hearth` in the desktop app, the
 * browser-mode WebSocket otherwise. Both speak the contract; components never see which.
 */
import type { CallInput, CallName, CallOutput, CallResult, EventName, EventPayload } from "../../../electron/shared/contract";
import { SOCKET_PATH, SOCKET_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from "../../../electron/shared/browserMode";
import type { HearthErrorData } from "../../../electron/shared/errors";

const TOKEN_KEY = "hearth-token";

export class ClientError extends Error {
  constructor(readonly data: HearthErrorData) {
    super(data.message);
  }
  get code() {
    return this.data.code;
  }
}

interface Bridge {
  invoke(channel: string, input: unknown): Promise<CallResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The desktop app's file dialog; absent in browser mode, where a path is typed instead. */
  pickModelFile?(): Promise<string | null>;
  /** The desktop app's file manager, opened on a library model's file. */
  showModelInFolder?(modelId: string): Promise<boolean>;
}

declare global {
  interface Window {
    hearth?: Bridge;
  }
}

export interface HearthClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  pickModelFile?: () => Promise<string | null>;
  showModelInFolder?: (modelId: string) => Promise<boolean>;
}

export function createClient(): HearthClient {
  const bridge = window.hearth ?? socketBridge();
  return {
    async call(name, input) {
      const result = await bridge.invoke(name, input);
      if (!result.ok) throw new ClientError(result.error);
      return result.value as CallOutput<typeof name>;
    },
    on(event, listener) {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
    pickModelFile: bridge.pickModelFile,
    showModelInFolder: bridge.showModelInFolder,
  };
}

/**
 * Browser mode: the address's token was traded for an HttpOnly cookie (which opens the page's
 * files) and handed back in the fragment. The page keeps it in this tab only (sessionStorage is
 * per port, cookies are not) and offers it as a subprotocol when it opens the socket.
 */
function socketBridge(): Bridge {
  const fromAddress = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromAddress) {
    sessionStorage.setItem(TOKEN_KEY, fromAddress);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? "";
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (result: CallResult<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;

  const open = (): Promise<WebSocket> => {
    if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${SOCKET_PATH}`, [
        SOCKET_PROTOCOL,
        `${TOKEN_PROTOCOL_PREFIX}${token}`,
      ]);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(
          new ClientError({
            code: "UNAUTHORIZED",
            message: "Cannot connect to Hearth.",
            suggestion: "Open the address `hearth serve` printed (with its token) again.",
          }),
        );
      };
      ws.onclose = () => {
        socket = null;
        for (const [, resolvePending] of pending) {
          resolvePending({ ok: false, error: { code: "ENGINE_CRASHED", message: "The connection to Hearth was lost.", suggestion: "Reload the page." } });
        }
        pending.clear();
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data));
        if (data.type === "result") {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        } else if (data.type === "event") {
          for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
        }
      };
    });
    return opening;
  };

  return {
    async invoke(channel, input) {
      let ws: WebSocket;
      try {
        ws = await open();
      } catch (error) {
        return { ok: false, error: (error as ClientError).data };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, call: channel, input }));
      });
    },
    on(event, listener) {
      void open().catch(() => undefined);
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
