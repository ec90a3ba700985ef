import { useCallback, useEffect, useState } from "react";
import { SlidersHorizontal, X } from "lucide-react";
import { describeError } from "./lib/errorMessages";
import { useChat } from "./hooks/useChat";
import { useConversations } from "./hooks/useConversations";
import { useEngine } from "./hooks/useEngine";
import { useClient } from "./hooks/ClientContext";
import { useCollections } from "./hooks/useCollections";
import { useErrors } from "./hooks/useErrors";
import type { Citation, DocumentPage } from "../../electron/shared/documents";
import { useSettings } from "./hooks/useSettings";
import { defaultSampling } from "../../electron/shared/defaults";
import { ContextMeter } from "./components/ContextMeter";
import { ChatSettingsPanel } from "./components/ChatSettingsPanel";
import { ServerPage } from "./components/server/ServerPage";
import { SettingsPage } from "./components/settings/SettingsPage";
import { ChatView } from "./components/ChatView";
import { Composer } from "./components/Composer";
import { PendingTurn } from "./components/PendingTurn";
import { NoTemplateNotice } from "./components/NoTemplateNotice";
import { ShortcutsHelp } from "./components/ShortcutsHelp";
import { useShortcuts } from "./hooks/useShortcuts";
import { useStoredState } from "./hooks/useStoredState";
import { COMPOSER_ID, focusSoon } from "./lib/shortcuts";
import { ModelPicker } from "./components/ModelPicker";
import { BenchPage } from "./components/bench/BenchPage";
import { AttachDocuments } from "./components/documents/AttachDocuments";
import { DocumentsPage } from "./components/documents/DocumentsPage";
import { PageViewer } from "./components/documents/PageViewer";
import { ModelsPage } from "./components/models/ModelsPage";
import { Sidebar, type View } from "./components/Sidebar";
import { Button } from "./components/ui/Button";

const LAST_CONVERSATION = "hearth.lastConversation";
const SIDEBAR = "hearth.sidebarCollapsed";
const PAGE_TITLES: Record<View, string> = { chat: "Chat", models: "Models", docs: "Documents", bench: "Bench", server: "Server", settings: "Settings" };

export function App() {
  // The conversation open when the window last closed opens again (if it still exists: see below).
  const [activeId, setActiveId] = useState<string | null>(() => localStorage.getItem(LAST_CONVERSATION));
  const [view, setView] = useState<View>("chat");
  // Narrow windows start with the sidebar folded; the user's choice is kept.
  const [sidebarCollapsed, setSidebarCollapsed] = useStoredState(SIDEBAR, () => window.innerWidth < 900);
  const toggleSidebar = useCallback(() => setSidebarCollapsed((collapsed) => !collapsed), [setSidebarCollapsed]);
  useEffect(() => {
    if (activeId) localStorage.setItem(LAST_CONVERSATION, activeId);
    else localStorage.removeItem(LAST_CONVERSATION);
  }, [activeId]);
  const sidebar = useConversations();
  const engine = useEngine();
  const { error, dismiss, report } = useErrors();
  const client = useClient();
  const appSettings = useSettings();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const onConversationChanged = useCallback((id: string) => setActiveId(id), []);
  const chat = useChat(activeId, onConversationChanged);
  const documents = useCollections();
  // Collections a new chat will answer from, until its first message makes it a conversation.
  const [pendingCollections, setPendingCollections] = useState<string[]>([]);
  const [cited, setCited] = useState<{ page: DocumentPage; citation: Citation } | null>(null);
  const openCitation = useCallback(
    (citation: Citation) =>
      void client.call("documents.page", { documentId: citation.documentId, page: citation.page }).then((page) => setCited({ page, citation }), report),
    [client, report],
  );

  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const newChat = useCallback(() => {
    setView("chat");
    setActiveId(null);
    focusSoon(COMPOSER_ID);
  }, []);
  useShortcuts({ newChat, showView: setView, showHelp: () => setHelpOpen(true), toggleSidebar });
  // A conversation remembered from the last visit that is gone (deleted elsewhere) is forgotten.
  useEffect(() => {
    if (activeId && chat.missing) setActiveId(null);
  }, [activeId, chat.missing]);

  // A new chat uses the loaded model, else the only (or most recent) one in the library.
  const modelForNewChat = engine.state?.model?.id ?? engine.models[0]?.id;
  const lastReply = chat.branch.findLast((m) => m?.role === "assistant" && m.promptTokens !== null) ?? null;
  const ready = engine.state?.status === "ready" || engine.state?.status === "generating" || Boolean(chat.conversation?.modelId ?? modelForNewChat);

  return (
    <div className="flex h-screen bg-bg text-fg">
      <a
        href={`#${COMPOSER_ID}`}
        className="sr-only z-50 rounded bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:absolute focus:left-2 focus:top-2"
        onClick={(e) => {
          e.preventDefault();
          setView("chat");
          focusSoon(COMPOSER_ID);
        }}
      >
        Skip to the message box
      </a>
      <Sidebar
        collapsed={sidebarCollapsed}
        onToggle={toggleSidebar}
        view={view}
        onView={setView}
        conversations={sidebar.conversations}
        activeId={activeId}
        query={sidebar.query}
        onQuery={sidebar.setQuery}
        onSelect={(id) => {
          setView("chat");
          setActiveId(id);
        }}
        onNew={newChat}
        onRename={sidebar.rename}
        onSuggestTitle={(id) =>
          client.call("chat.suggestTitle", { conversationId: id }).then(
            ({ title }) => title,
            (error: unknown) => {
              report(error);
              return null;
            },
          )
        }
        onExport={(id, format) => void sidebar.exportAs(id, format)}
        onDelete={(conversation) => {
          sidebar.remove(conversation);
          if (conversation.id === activeId) setActiveId(null);
        }}
      />
      <main className="relative flex min-w-0 flex-1 flex-col">
        {view !== "settings" && view !== "server" && (
          <h1 className="sr-only">{view === "chat" ? (activeId && chat.conversation?.title) || "New chat" : PAGE_TITLES[view]}</h1>
        )}
        <ReplyAnnouncer streaming={chat.streaming !== null} />
        {helpOpen && <ShortcutsHelp onClose={closeHelp} />}
        {cited && <PageViewer page={cited.page} passage={cited.citation} onClose={() => setCited(null)} />}
        {settingsOpen && view === "chat" && activeId && chat.conversation && appSettings.settings && (
          <ChatSettingsPanel
            conversation={chat.conversation}
            settings={appSettings.settings}
            model={engine.models.find((m) => m.id === chat.conversation?.modelId) ?? null}
            onClose={closeSettings}
            onSave={chat.update}
            onOpenAppSettings={() => {
              setSettingsOpen(false);
              setView("settings");
            }}
          />
        )}
        <header className="flex items-center gap-3 border-b border-border px-4 py-2">
          <div className="min-w-0 flex-1">
            <ModelPicker
              models={engine.models}
              remotes={engine.remotes}
              state={engine.state}
              onLoad={engine.load}
              onEject={engine.eject}
              onSetDefaults={engine.setDefaults}
            />
          </div>
          <ContextMeter contextSize={engine.state?.contextSize ?? null} lastReply={lastReply} streamedChars={chat.streaming?.text.length ?? 0} />
          {view === "chat" && activeId && chat.conversation && (
            <Button size="icon" variant="ghost" aria-label="Chat settings" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((open) => !open)}>
              <SlidersHorizontal size={16} />
            </Button>
          )}
        </header>
        {error && (
          <div role="alert" className="flex items-start gap-2 border-b border-danger/30 bg-danger/10 px-4 py-2 text-sm">
            <div className="flex-1">
              {(() => {
                const d = describeError(error);
                return (
                  <>
                    <strong>{d.title}.</strong> {d.detail} {d.suggestion && <span className="text-fg-muted">{d.suggestion}</span>}
                  </>
                );
              })()}
            </div>
            <Button size="icon" variant="ghost" aria-label="Dismiss" onClick={dismiss}>
              <X size={14} />
            </Button>
          </div>
        )}
        {chat.notice && <div className="border-b border-border bg-muted px-4 py-1 text-sm">{chat.notice}</div>}
        {sidebar.pendingDelete && (
          <div role="status" className="flex items-center gap-3 border-b border-border bg-muted px-4 py-1 text-sm">
            Deleted “{sidebar.pendingDelete.title}”.
            <Button size="sm" variant="ghost" onClick={sidebar.undoDelete}>
              Undo
            </Button>
          </div>
        )}
        {view === "settings" ? (
          appSettings.settings && (
            <SettingsPage
              settings={appSettings.settings}
              hfToken={appSettings.hfToken}
              dataDir={appSettings.dataDir}
              modelsDir={appSettings.modelsDir}
              offlineForced={appSettings.offlineForced}
              onUpdate={appSettings.update}
              remotes={{ remotes: engine.remotes, onAdd: engine.addRemote, onRemove: engine.removeRemote, onRefresh: engine.refreshRemotes }}
            />
          )
        ) : view === "bench" ? (
          <BenchPage models={engine.models} remotes={engine.remotes} />
        ) : view === "server" ? (
          appSettings.settings && <ServerPage settings={appSettings.settings} onUpdate={appSettings.update} />
        ) : view === "docs" ? (
          <DocumentsPage
            models={engine.models}
            remotes={engine.remotes}
            loadedModelId={engine.state?.model?.id ?? null}
            ocr={appSettings.settings?.ocr ?? true}
            onOcr={(ocr) => void appSettings.update({ ocr })}
          />
        ) : view === "models" ? (
          <ModelsPage
            models={engine.models}
            engine={engine.state}
            onLibraryChanged={() => void engine.refresh()}
            onLoad={(id) => void engine.load(id)}
            onRemove={(id) => void engine.removeModel(id)}
            onLocate={(id, path) => void engine.locate(id, path)}
            onBrowse={engine.pickModelFile}
            onSetDefaults={(id, defaults) => void engine.setDefaults(id, defaults)}
            onRename={(id, name) => void engine.rename(id, name)}
            onSetSampling={engine.setSampling}
            samplingInherited={{ ...defaultSampling, ...appSettings.settings?.sampling }}
            onImport={engine.importModel}
            onBrowseImport={engine.browseAndImport}
          />
        ) : (
          <>
            {chat.pending && (!activeId || !chat.conversation) ? (
              <div className="min-h-0 flex-1 overflow-y-auto">
                <PendingTurn text={chat.pending.text} failed={chat.pending.failed} engine={engine.state} />
              </div>
            ) : activeId && chat.conversation ? (
              <ChatView
                key={chat.conversation.id}
                branch={chat.branch}
                onNeedRange={chat.loadRange}
                streaming={chat.streaming}
                onRegenerate={chat.regenerate}
                onEdit={chat.edit}
                onSwitchBranch={chat.switchBranch}
                onContinue={chat.continueReply}
                onOpenCitation={openCitation}
              />
            ) : (
              <EmptyState
                hasModels={engine.models.length > 0 || engine.remotes.some((r) => r.models.length > 0)}
                remote={engine.state?.backend?.startsWith("remote") ?? false}
                onFindModels={() => setView("models")}
              />
            )}
            {chat.pending && activeId && chat.conversation && <PendingTurn text={chat.pending.text} failed={chat.pending.failed} engine={engine.state} />}
            <NoTemplateNotice model={engine.models.find((m) => m.id === (activeId ? chat.conversation?.modelId : modelForNewChat)) ?? null} />
            <AttachDocuments
              collections={documents.collections}
              attached={activeId ? (chat.conversation?.collectionIds ?? []) : pendingCollections}
              onChange={(ids) => (activeId ? void chat.attach(ids) : setPendingCollections(ids))}
            />
            <Composer
              busy={chat.streaming !== null}
              disabled={!ready}
              onSend={(text) => {
                void chat.send(text, activeId ? undefined : modelForNewChat, activeId ? undefined : pendingCollections);
                if (!activeId) setPendingCollections([]);
              }}
              onStop={() => void chat.stop()}
            />
          </>
        )}
      </main>
    </div>
  );
}

function EmptyState({ hasModels, remote, onFindModels }: { hasModels: boolean; remote: boolean; onFindModels(): void }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center text-fg-muted">
      {hasModels ? (
        <p>
          Type a message below to start a conversation.{" "}
          {remote ? "The remote engine writes the replies; the conversation is kept on this machine." : "Everything stays on this machine."}
        </p>
      ) : (
        <>
          <p>No models yet. Find one that fits this machine, or import a GGUF file you have in Models → Library.</p>
          <Button variant="primary" onClick={onFindModels}>
            Find a model
          </Button>
        </>
      )}
    </div>
  );
}

/** Tells screen readers when a reply starts and ends (the text itself is read from the message once done). */
function ReplyAnnouncer({ streaming }: { streaming: boolean }) {
  const [said, setSaid] = useState("");
  const [was, setWas] = useState(streaming);
  if (streaming !== was) {
    setWas(streaming);
    setSaid(streaming ? "Writing a reply…" : "Reply finished.");
  }
  return (
    <div role="status" aria-live="polite" className="sr-only" data-testid="reply-status">
      {said}
    </div>
  );
}
