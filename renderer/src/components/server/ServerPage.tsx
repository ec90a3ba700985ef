import { type ReactNode, useEffect, useState } from "react";
import { KeyRound, Play, Square } from "lucide-react";
import { type AppSettings, appSettingsPatchSchema } from "../../../../electron/shared/contract";
import type { SettingsPatch } from "../../hooks/useSettings";
import { useApiServer } from "../../hooks/useApiServer";
import { ruleFor, readNumber } from "../../lib/fieldRules";
import { Button } from "../ui/Button";
import { CopyButton } from "../ui/CopyButton";
import { NumberField } from "../ui/NumberField";
import { TableHead } from "../ui/TableHead";

const shape = appSettingsPatchSchema.shape;
const FIELDS = [
  { key: "apiPort", rule: ruleFor("Port", shape.apiPort), hint: "This machine only (127.0.0.1)." },
  { key: "apiSlots", rule: ruleFor("Parallel slots", shape.apiSlots), hint: "Replies served at once, batched; each holds a context of memory." },
  { key: "apiQueue", rule: ruleFor("Requests that may wait", shape.apiQueue), hint: "Past these, 429 with Retry-After." },
  { key: "apiIdleMinutes", rule: ruleFor("Unload after idle minutes", shape.apiIdleMinutes), hint: "0 keeps the model loaded." },
] as const;
type FieldKey = (typeof FIELDS)[number]["key"];

interface Props {
  settings: AppSettings;
  onUpdate(patch: SettingsPatch): Promise<boolean>;
}

/**
 * The Server page: the OpenAI-compatible API for other programs on this machine (editors,
 * scripts, agents): start and stop, its address, its key (made, copied once, revoked), how it
 * runs, ready-to-paste examples, and each request as it ends (never its text).
 */
export function ServerPage({ settings, onUpdate }: Props) {
  const { status, newKey, start, stop, createKey, revokeKey } = useApiServer();
  const [draft, setDraft] = useState<Record<FieldKey, string>>(() => fieldsOf(settings));
  useEffect(() => setDraft(fieldsOf(settings)), [settings]);
  const readings = FIELDS.map((f) => [f.key, readNumber(draft[f.key], f.rule)] as const);
  const valid = readings.every(([, r]) => r.ok && r.value !== undefined);
  const changed = FIELDS.some((f) => draft[f.key] !== String(settings[f.key]));
  const base = status?.url ?? `http://127.0.0.1:${settings.apiPort}/v1`;
  const key = newKey ?? (status?.key.set ? "$HEARTH_API_KEY" : "none");

  return (
    <div className="min-h-0 flex-1 space-y-8 overflow-y-auto p-6 text-sm" data-testid="server-page">
      <div className="max-w-3xl space-y-2">
        <h1 className="text-xl font-semibold">Server</h1>
        <p className="text-fg-muted">
          Editors, scripts and agents on this machine can use your models through the OpenAI API: models by their library id, loaded on first use in an engine
          of their own, so chat here never waits on them.
        </p>
      </div>

      <Section id="server-status" title="Status">
        <div className="flex flex-wrap items-center gap-3">
          {status?.running ? (
            <span role="status" className="flex items-center gap-2">
              <span className="h-2 w-2 rounded-full bg-accent" aria-hidden />
              Running at <code className="font-mono">{status.url}</code>
            </span>
          ) : (
            <span role="status" className="text-fg-muted">
              Stopped.
            </span>
          )}
          {status?.running && <CopyButton text={status.url ?? ""} label="Copy the address" />}
          {/* One button that turns from Start to Stop, so a keyboard user's focus stays on it. */}
          <Button size="sm" variant={status?.running ? "secondary" : "primary"} disabled={!status} onClick={() => void (status?.running ? stop() : start())}>
            {status?.running ? <Square size={12} /> : <Play size={12} />} {status?.running ? "Stop" : "Start"}
          </Button>
          {status?.running && (
            <span className="text-xs text-fg-muted tabular-nums" data-testid="server-load">
              {status.load.running > 0 ? `${status.load.running} of ${status.load.slots} slots busy` : "idle"}
              {status.load.waiting > 0 ? ` · ${status.load.waiting} waiting` : ""}
            </span>
          )}
          {status?.running && (
            <span className="text-xs text-fg-muted" data-testid="server-model">
              {status.model ? `${status.model} loaded` : "no model loaded: the first request loads its own"}
            </span>
          )}
        </div>
        {status?.error && <p className="text-danger">{status.error}</p>}
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={settings.apiAutoStart} onChange={(e) => void onUpdate({ apiAutoStart: e.target.checked })} />
          Start the server when Hearth starts
        </label>
      </Section>

      <Section id="server-key" title="API key">
        {status?.keyFromCommandLine ? (
          <p className="text-fg-muted">This run takes the key given to hearth serve (--api-key-file or HEARTH_API_KEY).</p>
        ) : status?.key.set ? (
          <div className="flex flex-wrap items-center gap-2">
            <span>Required: Authorization: Bearer …{status.key.last4}</span>
            <Button size="sm" onClick={() => void createKey()}>
              <KeyRound size={12} /> New key
            </Button>
            <Button size="sm" variant="danger" onClick={() => void revokeKey()}>
              Revoke
            </Button>
          </div>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-fg-muted">No key: any program on this machine may use the server.</span>
            <Button size="sm" onClick={() => void createKey()}>
              <KeyRound size={12} /> Create a key
            </Button>
          </div>
        )}
        {newKey && (
          <div className="flex flex-wrap items-center gap-2 rounded-md border border-border bg-muted p-2" data-testid="new-api-key">
            <code className="break-all font-mono">{newKey}</code>
            <CopyButton text={newKey} label="Copy the key" />
            <span className="text-xs text-fg-muted">Copy it now: Hearth keeps it in the keychain and will not show it again.</span>
          </div>
        )}
      </Section>

      <Section id="server-settings" title="How it runs">
        <div className="grid gap-3 sm:grid-cols-2">
          {FIELDS.map((f) => (
            <NumberField key={f.key} rule={f.rule} hint={f.hint} value={draft[f.key]} onChange={(text) => setDraft((d) => ({ ...d, [f.key]: text }))} />
          ))}
        </div>
        <div className="flex items-center gap-2">
          <Button
            size="sm"
            disabled={!valid || !changed}
            onClick={() => void onUpdate(Object.fromEntries(readings.map(([k, r]) => [k, r.ok ? Number(r.value) : undefined])) as SettingsPatch)}
          >
            Save
          </Button>
          {status?.running && changed && <span className="text-xs text-fg-muted">Takes effect when the server next starts.</span>}
        </div>
      </Section>

      <Section id="server-examples" title="Try it">
        <Snippet label="curl" text={curlExample(base, key)} />
        <Snippet label="openai (JavaScript)" text={openAiExample(base, key)} />
      </Section>

      <Section id="server-log" title="Requests" wide>
        {!status?.log.length ? (
          <p className="text-fg-muted">No request yet. Each appears here as it ends: model, tokens, speed, time; never its text.</p>
        ) : (
          <div className="max-h-[50vh] overflow-auto rounded border border-border">
            <table aria-label="API requests" className="w-full text-xs tabular-nums">
              <TableHead columns={["Time", "Request", "Model", "Status", "Tokens", "Speed", "Took"]} />
              <tbody>
                {status.log.map((e) => (
                  <tr key={`${e.at}-${e.path}-${e.latencyMs}`} data-testid="api-request" className="border-t border-border">
                    <td className="whitespace-nowrap px-2 py-1">{new Date(e.at).toLocaleTimeString()}</td>
                    <td className="whitespace-nowrap px-2 py-1 font-mono">
                      {e.method} {e.path}
                    </td>
                    <td className="max-w-[16rem] truncate px-2 py-1">{e.model ?? ""}</td>
                    <td className={e.status >= 400 ? "px-2 py-1 text-danger" : "px-2 py-1"}>
                      {e.status}
                      {e.stopReason === "aborted" ? " (client left)" : ""}
                    </td>
                    <td className="px-2 py-1">{e.completionTokens ?? ""}</td>
                    <td className="whitespace-nowrap px-2 py-1">{e.tokensPerSecond !== null ? `${e.tokensPerSecond.toFixed(1)} tok/s` : ""}</td>
                    <td className="whitespace-nowrap px-2 py-1">{e.latencyMs.toLocaleString("en-US")} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}

/** A titled part of the page; the narrow ones keep to reading width, the request table takes it all. */
function Section({ id, title, wide = false, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={wide ? "space-y-3" : "max-w-3xl space-y-3"}>
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function fieldsOf(settings: AppSettings): Record<FieldKey, string> {
  return {
    apiPort: String(settings.apiPort),
    apiSlots: String(settings.apiSlots),
    apiQueue: String(settings.apiQueue),
    apiIdleMinutes: String(settings.apiIdleMinutes),
  };
}

function Snippet({ label, text }: { label: string; text: string }) {
  return (
    <figure className="space-y-1">
      <figcaption className="flex items-center justify-between text-xs text-fg-muted">
        {label}
        <CopyButton text={text} label={`Copy the ${label} example`} />
      </figcaption>
      <pre className="overflow-x-auto rounded-md border border-border bg-muted p-3 font-mono text-xs">{text}</pre>
    </figure>
  );
}

function curlExample(base: string, key: string): string {
  const auth = key === "none" ? "" : ` \\\n  -H "Authorization: Bearer ${key}"`;
  return `curl ${base}/models${auth}\n\ncurl ${base}/chat/completions${auth} \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "MODEL_ID", "messages": [{"role": "user", "content": "Hello"}], "stream": true}'`;
}

function openAiExample(base: string, key: string): string {
  const apiKey = key === "none" ? '"none"' : key.startsWith("$") ? "process.env.HEARTH_API_KEY" : `"${key}"`;
  return `import OpenAI from "openai";\n\nconst client = new OpenAI({ baseURL: "${base}", apiKey: ${apiKey} });\nconst { data } = await client.models.list();\nconst reply = await client.chat.completions.create({\n  model: data[0].id,\n  messages: [{ role: "user", content: "Hello" }],\n});\nconsole.log(reply.choices[0].message.content);`;
}
