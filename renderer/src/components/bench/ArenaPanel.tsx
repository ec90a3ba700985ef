import { modelLabel } from "../../lib/format";
import { useState } from "react";
import { type ArenaSide, calls, type ModelEntry } from "../../../../electron/shared/contract";
import { readNumber, ruleFor } from "../../lib/fieldRules";
import type { RemoteEngine } from "../../../../electron/shared/remote";
import { RemoteModelOptions } from "../RemoteModelOptions";
import { NumberField } from "../ui/NumberField";
import { useArena } from "../../hooks/useArena";
import { Button } from "../ui/Button";

function ModelSelect({
  label,
  models,
  remotes,
  value,
  onChange,
}: {
  label: string;
  models: ModelEntry[];
  remotes: RemoteEngine[];
  value: string;
  onChange(id: string): void;
}) {
  return (
    <select aria-label={label} className="h-8 rounded border border-border bg-bg px-2" value={value} onChange={(e) => onChange(e.target.value)}>
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {modelLabel(m)}
        </option>
      ))}
      <RemoteModelOptions remotes={remotes} />
    </select>
  );
}

const maxTokensRule = ruleFor("Max tokens", calls["arena.start"].input.shape.maxTokens);

/** One prompt, two models, replies side by side with their live speed. */
export function ArenaPanel({ models, remotes }: { models: ModelEntry[]; remotes: RemoteEngine[] }) {
  const arena = useArena();
  const [left, setLeft] = useState("");
  const [right, setRight] = useState("");
  const [prompt, setPrompt] = useState("");
  const [maxTokens, setMaxTokens] = useState("256");
  const a = left || models[0]?.id || "";
  const b = right || models[1]?.id || models[0]?.id || "";
  const running = arena.state !== null && !arena.state.finished;
  const reading = readNumber(maxTokens, maxTokensRule);
  const tokens = reading.ok && typeof reading.value === "number" ? reading.value : null;

  return (
    <section aria-label="Arena" className="space-y-3 rounded-lg border border-border p-4">
      <h2 className="font-medium">Arena</h2>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (prompt.trim() && a && b && tokens !== null) void arena.start(prompt, [a, b], tokens);
        }}
      >
        <div className="flex flex-wrap items-end gap-2 text-sm">
          <ModelSelect label="Left model" models={models} remotes={remotes} value={a} onChange={setLeft} />
          <span className="pb-1.5 text-fg-muted">vs</span>
          <ModelSelect label="Right model" models={models} remotes={remotes} value={b} onChange={setRight} />
          {/* Explains a bad value in words beside the field, and keeps what was typed. */}
          <NumberField rule={maxTokensRule} value={maxTokens} onChange={setMaxTokens} className="w-28" />
        </div>
        <textarea
          aria-label="Arena prompt"
          rows={2}
          placeholder="One prompt for both models"
          className="w-full rounded border border-border bg-bg p-2 text-sm"
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
        />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={running || !prompt.trim() || !a || !b || tokens === null}>
            Send to both
          </Button>
          {running && (
            <Button variant="danger" onClick={arena.stop}>
              Stop
            </Button>
          )}
        </div>
      </form>
      {arena.state?.reason && (
        <p role="status" className="rounded bg-muted px-3 py-1 text-sm">
          {arena.state.reason}
        </p>
      )}
      {arena.state && (
        <div className="grid gap-3 md:grid-cols-2">
          {arena.state.sides.map((side, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: always two sides, left and right
            <ArenaReply key={index} side={side} />
          ))}
        </div>
      )}
    </section>
  );
}

function ArenaReply({ side }: { side: ArenaSide }) {
  return (
    <article data-testid="arena-side" data-status={side.status} className="rounded border border-border p-3">
      <header className="mb-2 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 text-sm">
        <strong className="min-w-0 break-words">{side.modelName}</strong>
        <span data-testid="arena-speed" className="min-w-0 tabular-nums text-fg-muted">
          {side.status === "waiting"
            ? "waiting for the other model"
            : side.status === "loading"
              ? "loading…"
              : side.tokensPerSecond !== null
                ? `${side.tokensPerSecond.toFixed(1)} tok/s · ${side.tokens} tokens${side.timeToFirstTokenMs !== null ? ` · ${side.timeToFirstTokenMs.toFixed(0)} ms to first token` : ""}`
                : side.status}
        </span>
      </header>
      {side.error ? <p className="text-sm text-danger">{side.error.message}</p> : <p className="whitespace-pre-wrap text-sm">{side.text}</p>}
    </article>
  );
}
