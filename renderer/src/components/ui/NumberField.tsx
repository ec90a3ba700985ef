import { useId } from "react";
import { cn } from "../../lib/cn";
import { type NumberRule, readNumber } from "../../lib/fieldRules";

interface Props {
  rule: NumberRule;
  value: string;
  onChange(text: string): void;
  placeholder?: string;
  /** Shown under the field while it is valid. */
  hint?: string;
  className?: string;
}

/**
 * A labelled number field that says in words what it takes when the text cannot be used, beside
 * the field, and keeps the text as typed (the form's Save waits until every field reads).
 */
export function NumberField({ rule, value, onChange, placeholder, hint, className }: Props) {
  const id = useId();
  const reading = readNumber(value, rule);
  const note = reading.ok ? hint : reading.error;
  return (
    <div className={cn("flex flex-col gap-1", className)}>
      <label htmlFor={id}>{rule.label}</label>
      <input
        id={id}
        inputMode={rule.words ? "text" : rule.integer ? "numeric" : "decimal"}
        placeholder={placeholder}
        aria-invalid={!reading.ok}
        aria-describedby={note ? `${id}-note` : undefined}
        className={cn("h-8 rounded border bg-bg px-2 tabular-nums", reading.ok ? "border-border" : "border-danger")}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {note && (
        <span id={`${id}-note`} className={cn("text-xs", reading.ok ? "text-fg-muted" : "text-danger")}>
          {note}
        </span>
      )}
    </div>
  );
}

/** Every field of a form reads: what its Save waits for. */
export function allRead(fields: { rule: NumberRule; value: string }[]): boolean {
  return fields.every((f) => readNumber(f.value, f.rule).ok);
}
