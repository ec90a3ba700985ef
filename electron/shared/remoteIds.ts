/** Hearth's ids for remote engines' models, `remote:<engine>:<model>` (no schema library: the CLI reads them before it loads one). */

const PREFIX = "remote:";

export function remoteModelId(engineId: string, model: string): string {
  return `${PREFIX}${engineId}:${model}`;
}

/** The engine and the server's model a Hearth id names, or null for a local model's id. */
export function parseRemoteModelId(id: string): { engineId: string; model: string } | null {
  if (!id.startsWith(PREFIX)) return null;
  const rest = id.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon <= 0 || colon === rest.length - 1) return null;
  return { engineId: rest.slice(0, colon), model: rest.slice(colon + 1) };
}
