import type { RemoteEngine } from "../../../electron/shared/remote";

/** A `<select>`'s options for remote engines' models: a group per engine, each model marked remote. */
export function RemoteModelOptions({ remotes }: { remotes: RemoteEngine[] }) {
  return remotes
    .filter((r) => r.models.length > 0)
    .map((r) => (
      <optgroup key={r.id} label={`Remote · ${r.name}`}>
        {r.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.model} · remote
          </option>
        ))}
      </optgroup>
    ));
}
