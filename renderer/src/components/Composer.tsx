import { useState } from "react";
import { Send, Square } from "lucide-react";
import { COMPOSER_ID } from "../lib/shortcuts";
import { Button } from "./ui/Button";

/** Enter sends, Shift+Enter adds a line, Esc stops the reply. */
export function Composer({ busy, disabled, onSend, onStop }: { busy: boolean; disabled: boolean; onSend(text: string): void; onStop(): void }) {
  const [text, setText] = useState("");
  const submit = () => {
    if (!text.trim() || busy || disabled) return;
    onSend(text);
    setText("");
  };
  return (
    <form
      className="flex items-end gap-2 border-t border-border p-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        id={COMPOSER_ID}
        aria-label="Message"
        placeholder={disabled ? "Load a model to start chatting" : "Message"}
        className="max-h-48 min-h-10 flex-1 resize-none rounded-md border border-border bg-bg px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
        rows={1}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            submit();
          } else if (event.key === "Escape" && busy) {
            onStop();
          }
        }}
      />
      {busy ? (
        <Button variant="danger" onClick={onStop} aria-label="Stop">
          <Square size={14} /> Stop
        </Button>
      ) : (
        <Button type="submit" variant="primary" disabled={disabled || !text.trim()} aria-label="Send">
          <Send size={14} /> Send
        </Button>
      )}
    </form>
  );
}
