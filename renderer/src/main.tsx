import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "katex/dist/katex.min.css";
import "./styles.css";
import { App } from "./App";
import { warmUpMarkdown } from "./components/Markdown";
import { ClientProvider } from "./hooks/ClientContext";
import { ErrorsProvider } from "./hooks/useErrors";
import { createClient } from "./transport/hearthClient";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ClientProvider client={createClient()}>
      <ErrorsProvider>
        <App />
      </ErrorsProvider>
    </ClientProvider>
  </StrictMode>,
);

// Not needed for the first paint; done once the page is idle.
requestIdleCallback(() => warmUpMarkdown(), { timeout: 2000 });
