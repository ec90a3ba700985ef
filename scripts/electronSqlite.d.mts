/** Where better-sqlite3's build for Electron goes (resources/native/better_sqlite3.node). */
export const electronSqlitePath: string;
/** Fetches that build for this project's Electron (needs the network). */
export function fetchElectronSqlite(): void;
