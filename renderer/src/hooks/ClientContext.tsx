import { createContext, useContext, type ReactNode } from "react";
import type { HearthClient } from "../transport/hearthClient";

const ClientContext = createContext<HearthClient | null>(null);

export function ClientProvider({ client, children }: { client: HearthClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): HearthClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient outside ClientProvider");
  return client;
}
