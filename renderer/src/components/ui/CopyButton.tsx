import { useState } from "react";
import { Check, Copy } from "lucide-react";
import { Button } from "./Button";

/** Copies `text`, and says Copied for a moment. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="icon"
      variant="ghost"
      title={copied ? "Copied" : label}
      aria-label={copied ? "Copied" : label}
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? <Check size={14} /> : <Copy size={14} />}
    </Button>
  );
}
