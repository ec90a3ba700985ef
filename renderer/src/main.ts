// The renderer's entry. The chat UI (React) arrives with the desktop-app issue; until then the
// window lists what the core holds, through the same contract the UI will use.
import type { CallResult, Conversation } from "../../electron/shared/contract";

declare global {
  interface Window {
    hearth?: { invoke(channel: string, input: unknown): Promise<CallResult<unknown>> };
  }
}

async function render(root: HTMLElement): Promise<void> {
  const heading = document.createElement("h1");
  heading.textContent = "Hearth";
  root.append(heading);
  if (!window.hearth) return;
  const result = await window.hearth.invoke("conversations.list", {});
  const list = document.createElement("ul");
  for (const conversation of result.ok ? (result.value as Conversation[]) : []) {
    const item = document.createElement("li");
    item.textContent = conversation.title;
    list.append(item);
  }
  root.append(list);
}

void render(document.getElementById("root")!);
