import { findGgufFiles, knownModelFolders } from "../models/findGgufFiles";
import {
  calls,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type CallResult,
  type EngineState,
  type EventName,
  type EventPayload,
} from "../../shared/contract";
import { HearthError, toErrorData } from "../../shared/errors";
import { parseRemoteModelId } from "../../shared/remoteIds";
import { logError as writeErrorLog } from "../errorLog";
import { HF_TOKEN_SECRET, type Core } from "../createCore";
import { exportBenchRun } from "../export/exportBenchRun";
import { exportConversation } from "../export/exportConversation";
import { exportGrid } from "../export/exportGrid";
import { catalog } from "../hub/catalog";
import { DEFAULT_CONTEXT_SIZE } from "../../shared/defaults";

function settingsView(core: Core): CallOutput<"settings.get"> {
  return {
    settings: core.settings.get(),
    hfToken: core.secrets.status(HF_TOKEN_SECRET),
    hfTokenFromEnv: Boolean(process.env.HF_TOKEN?.trim()),
    dataDir: core.paths.dataDir,
    offlineForced: core.offlineForced(),
    modelsDir: core.library.modelsDir,
  };
}

export type Handlers = { [N in CallName]: (input: CallParsedInput<N>) => Promise<CallOutput<N>> | CallOutput<N> };

/** The core's implementation of every contract call. Transports validate, then call these. */
export function createHandlers(core: Core): Handlers {
  const { conversations, library, engine, chat } = core;
  const engineState = (): EngineState => engine.state;
  // A library model, or a remote engine's (NOT_FOUND for either that is gone).
  const knownModel = (id: string) => (parseRemoteModelId(id) ? core.remotes.target(id) : library.get(id));
  return {
    "conversations.list": ({ limit, query }) => (query?.trim() ? conversations.searchConversations(query, limit) : conversations.listConversations(limit)),
    "conversations.get": ({ id }) => {
      const conversation = conversations.getConversation(id);
      return { conversation, messages: conversations.listMessages(id) };
    },
    "conversations.view": ({ id, start, end }) => conversations.branchView(id, { start, end }),
    "conversations.switchBranch": ({ messageId, step }) => conversations.switchBranch(messageId, step),
    "bench.start": (spec) => {
      const { runId, done } = core.bench.start(spec);
      // Rows record their own errors; anything else is a bug, logged rather than lost.
      done.catch((error) => writeErrorLog(error, "bench"));
      return { runId };
    },
    "arena.start": (input) => {
      const { arenaId, done } = core.arena.start(input);
      done.catch((error) => writeErrorLog(error, "arena"));
      return { arenaId };
    },
    "arena.stop": ({ arenaId }) => {
      core.arena.stop(arenaId);
      return { ok: true as const };
    },
    "bench.cancel": ({ runId }) => {
      core.bench.cancel(runId);
      return { ok: true as const };
    },
    "bench.list": () => core.benchStore.listRuns(),
    "bench.get": ({ id }) => core.benchStore.getRun(id),
    "bench.export": ({ id, format }) => exportBenchRun(core.benchStore.getRun(id), format),
    "bench.delete": ({ id }) => {
      core.benchStore.deleteRun(id);
      return { ok: true as const };
    },
    "conversations.create": (input) => conversations.createConversation(input),
    "conversations.rename": ({ id, title }) => conversations.renameConversation(id, title),
    "conversations.update": ({ id, ...patch }) => {
      for (const collectionId of patch.collectionIds ?? []) core.documents.collection(collectionId);
      return conversations.updateConversation(id, patch);
    },
    "conversations.delete": ({ id }) => {
      conversations.deleteConversation(id);
      return { ok: true as const };
    },
    "conversations.export": ({ id, format }) => {
      const conversation = conversations.getConversation(id);
      return exportConversation(conversation, conversations.listMessages(id), format);
    },

    "models.list": () => library.list(),
    "models.import": ({ path, mode }) => library.import(path, mode),
    "models.locate": ({ id, path }) => library.locate(id, path),
    // A library model only: a look at a model never adds a file to the library (models.import does).
    "models.info": ({ idOrPath }) => {
      const entry = library.find(idOrPath) ?? library.findByPath(idOrPath);
      if (!entry) throw new HearthError("NOT_FOUND", `No model ${idOrPath} in the library.`, { suggestion: "Import the file first, or give a library id." });
      return entry;
    },
    "models.remove": async ({ id, deleteFile }) => {
      if (engine.loadedModel?.id === id) await engine.unload();
      await library.remove(id, deleteFile);
      return { ok: true as const };
    },

    "models.storage": async () => ({ modelsDir: library.modelsDir, ownedBytes: library.diskUsage(), freeBytes: await core.downloads.freeSpace() }),
    "models.findOnDisk": async () =>
      (await findGgufFiles(knownModelFolders())).map((file) => ({ ...file, inLibrary: library.findByPath(file.path)?.id ?? null })),
    "models.setSampling": ({ id, sampling }) => library.setSamplingDefaults(id, sampling),
    "models.rename": ({ id, name }) => library.rename(id, name),
    "models.setDefaults": ({ id, defaults }) => library.setLoadDefaults(id, defaults),

    "documents.collections": () => core.documents.listCollections(),
    "documents.createCollection": ({ name }) => core.documents.createCollection(name),
    "documents.renameCollection": ({ id, name }) => core.documents.renameCollection(id, name),
    "documents.deleteCollection": ({ id }) => {
      core.documents.deleteCollection(id);
      return { ok: true as const };
    },
    "documents.list": ({ collectionId }) => core.documents.listDocuments(collectionId),
    "documents.add": ({ collectionId, paths, modelId }) => ({ ingestId: core.indexer.start(collectionId, paths, modelId).ingestId }),
    "documents.cancel": ({ ingestId }) => {
      core.indexer.cancel(ingestId);
      return { ok: true as const };
    },
    "documents.remove": ({ id }) => {
      core.documents.removeDocument(id);
      return { ok: true as const };
    },
    "documents.setReranker": ({ collectionId, modelId }) => core.indexer.setReranker(collectionId, modelId),
    "documents.search": ({ collectionId, query, limit, documentIds }) => core.indexer.search(collectionId, query, { limit, documentIds }),
    "documents.page": ({ documentId, page }) => ({ document: core.documents.document(documentId), page, text: core.documents.pageText(documentId, page) }),
    "documents.pageImage": async ({ documentId, page, start, end, width }) => {
      const document = core.documents.document(documentId);
      if (document.format !== "pdf") throw new HearthError("INVALID_INPUT", `${document.name} is not a PDF: its pages are shown as text.`);
      const { pdfPageImage } = await import("../documents/pdfPageImage");
      return pdfPageImage(document.path, document.sha256, page, start !== undefined && end !== undefined ? { start, end } : null, width);
    },

    "grids.list": ({ collectionId }) => {
      core.documents.collection(collectionId);
      return core.gridStore.list(collectionId);
    },
    "grids.create": ({ collectionId, name, columns, modelId }) => {
      core.documents.collection(collectionId);
      const model = modelId ?? engine.loadedModel?.id ?? null;
      if (model) knownModel(model);
      return core.gridStore.create(collectionId, name, columns, model);
    },
    "grids.update": ({ id, name, modelId, columns }) => {
      if (modelId) knownModel(modelId);
      if (columns && core.grids.isRunning(id))
        throw new HearthError("ENGINE_BUSY", "The grid is being filled.", { suggestion: "Stop it before changing its columns." });
      return core.gridStore.update(id, { name, modelId, columns });
    },
    "grids.delete": async ({ id }) => {
      if (core.grids.isRunning(id)) {
        core.grids.cancel(id);
        await core.grids.settled(id);
      }
      core.gridStore.delete(id);
      return { ok: true as const };
    },
    "grids.get": ({ id }) => core.grids.view(id),
    "grids.run": ({ id, documentIds, columnIds, onlyMissing }) => {
      const { runId, done } = core.grids.start(id, { documentIds, columnIds, onlyMissing });
      done.catch((error) => writeErrorLog(error, "grid"));
      return { runId };
    },
    "grids.cancel": ({ id }) => {
      core.grids.cancel(id);
      return { ok: true as const };
    },
    "grids.editCell": ({ gridId, documentId, columnId, value }) => core.grids.editCell(gridId, documentId, columnId, value),
    "grids.export": ({ id, format }) => exportGrid(core.grids.view(id), format),

    "hardware.get": () => core.hardware.info(),
    "hub.catalog": () => [...catalog],
    "hub.search": (input) => core.advisor.search(input),
    "hub.files": ({ repo, contextSize }) => core.advisor.repoFiles(repo, contextSize),

    "downloads.start": async ({ repo, key }) => {
      const { group } = await core.advisor.choose(repo, key, DEFAULT_CONTEXT_SIZE);
      return core.downloads.enqueue(repo, group.quant, group.files);
    },
    "downloads.list": () => core.downloads.list(),
    "downloads.pause": ({ id }) => {
      core.downloads.pause(id);
      return { ok: true as const };
    },
    "downloads.resume": ({ id }) => {
      core.downloads.resume(id);
      return { ok: true as const };
    },
    "downloads.cancel": async ({ id }) => {
      await core.downloads.cancel(id);
      return { ok: true as const };
    },
    "downloads.remove": ({ id }) => {
      core.downloads.remove(id);
      return { ok: true as const };
    },

    "network.log": ({ limit }) => core.networkLog.list(limit),
    "network.clear": () => {
      core.networkLog.clear();
      return { ok: true as const };
    },

    "settings.get": () => settingsView(core),
    "settings.update": ({ hfToken, ...patch }) => {
      if (hfToken !== undefined) {
        if (hfToken) core.secrets.set(HF_TOKEN_SECRET, hfToken);
        else core.secrets.delete(HF_TOKEN_SECRET);
      }
      core.settings.update(patch);
      return settingsView(core);
    },

    "remote.list": ({ refresh }) => core.remotes.list({ refresh }),
    "remote.add": (input) => core.remotes.add(input),
    "remote.remove": async ({ id }) => {
      const removed = core.remotes.remove(id);
      // The chat lets go of a model whose engine is gone.
      if (parseRemoteModelId(engine.loadedModel?.id ?? "")?.engineId === removed) await engine.unload();
      return { ok: true as const };
    },

    "engineBuild.status": () => core.engineBuilds.status(),
    "engineBuild.optimize": ({ modelId }) => core.engineBuilds.optimize(modelId),
    "engineBuild.cancel": () => core.engineBuilds.cancel(),
    "engineBuild.use": ({ binary }) => core.engineBuilds.use(binary),
    "engineBuild.remove": () => core.engineBuilds.remove(),
    "api.status": () => core.api.status(),
    "api.start": () => core.api.start(),
    "api.stop": () => core.api.stop(),
    "api.createKey": () => core.api.createKey(),
    "api.revokeKey": () => core.api.revokeKey(),

    "engine.state": engineState,
    "engine.load": async ({ modelId, settings }) => {
      await engine.loadModel(modelId, settings);
      return engineState();
    },
    "engine.unload": async () => {
      await engine.unload();
      return engineState();
    },

    "chat.send": (input) => {
      for (const collectionId of input.collectionIds ?? []) core.documents.collection(collectionId);
      return chat.send(input);
    },
    "chat.regenerate": (input) => chat.regenerate(input),
    "chat.continue": (input) => chat.continue(input),
    "chat.suggestTitle": async ({ conversationId }) => ({ title: await chat.suggestTitle(conversationId) }),
    "chat.abort": ({ requestId }) => {
      chat.abort(requestId);
      return { ok: true as const };
    },
  };
}

/**
 * Validates a raw call (from IPC, a WebSocket or the CLI) and answers as data: never throws.
 * Unknown errors become INTERNAL; their stack goes to `logError`, not to the caller.
 */
export async function invoke(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  logError: (error: unknown) => void = (error) => writeErrorLog(error, name),
): Promise<CallResult<unknown>> {
  if (!Object.hasOwn(calls, name)) {
    return { ok: false, error: { code: "INVALID_INPUT", message: `Unknown call: ${name}` } };
  }
  const callName = name as CallName;
  try {
    const handler = handlers[callName] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parseInput(callName, rawInput)) };
  } catch (error) {
    if (!(error instanceof HearthError)) logError(error);
    return { ok: false, error: toErrorData(error) };
  }
}

/** A call's input checked against its schema; INVALID_INPUT naming the first field at fault otherwise. */
export function parseInput<N extends CallName>(name: N, rawInput: unknown): CallParsedInput<N> {
  const parsed = calls[name].input.safeParse(rawInput ?? {});
  if (parsed.success) return parsed.data as CallParsedInput<N>;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new HearthError("INVALID_INPUT", `Invalid input for ${name}: ${where}${issue?.message ?? "invalid"}`);
}

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Forwards every contract event from the core to a transport (IPC, a WebSocket). Returns the unsubscribe. */
export function forwardEvents(core: Core, sink: EventSink): () => void {
  const subscriptions: { [E in EventName]: () => () => void } = {
    "chat.onDidStream": () => core.chat.onPacket((packet) => sink("chat.onDidStream", packet)),
    "conversations.onDidChange": () => core.conversations.onDidChange((change) => sink("conversations.onDidChange", change)),
    "engine.onDidChangeState": () => core.engine.onStateChange((state) => sink("engine.onDidChangeState", state)),
    "bench.onDidProgress": () => core.bench.onProgress((run) => sink("bench.onDidProgress", run)),
    "arena.onDidUpdate": () => core.arena.onUpdate((state) => sink("arena.onDidUpdate", state)),
    "downloads.onDidChange": () => core.downloads.onPacket((packet) => sink("downloads.onDidChange", packet)),
    "documents.onDidProgress": () => core.indexer.onProgress((progress) => sink("documents.onDidProgress", progress)),
    "grids.onDidUpdate": () => core.grids.onUpdate((packet) => sink("grids.onDidUpdate", packet)),
    "api.onDidChange": () => core.api.onChange((status) => sink("api.onDidChange", status)),
    "engineBuild.onDidChange": () => core.engineBuilds.onChange((status) => sink("engineBuild.onDidChange", status)),
  };
  const unsubscribes = Object.values(subscriptions).map((subscribe) => subscribe());
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
