import { appSettingsSchema, type AppSettings } from "../../shared/contract";
import type { Db } from "./openDatabase";

/** App settings, one row per key, so a newer Hearth can add keys without a migration. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(): AppSettings {
    const rows = this.db.prepare<[], { key: string; value_json: string }>(`SELECT key, value_json FROM settings`).all();
    const shape = appSettingsSchema.shape;
    // A value an older or newer build wrote that no longer parses falls back to its own default;
    // the other settings are kept.
    const valid = rows
      .map((row) => [row.key, JSON.parse(row.value_json)] as const)
      .filter(([key, value]) => key in shape && shape[key as keyof typeof shape].safeParse(value).success);
    return appSettingsSchema.parse(Object.fromEntries(valid));
  }

  /**
   * Hands a value an older Hearth kept among the settings (the HF token, in clear) to `keep`, then
   * erases it: the row is deleted with secure_delete on, so its bytes are overwritten, and the WAL
   * that held it is checkpointed away.
   */
  moveLegacyValue(key: string, keep: (value: unknown) => void): void {
    const row = this.db.prepare<[string], { value_json: string }>(`SELECT value_json FROM settings WHERE key = ?`).get(key);
    if (!row) return;
    keep(JSON.parse(row.value_json));
    this.db.pragma("secure_delete = ON");
    this.db.prepare(`DELETE FROM settings WHERE key = ?`).run(key);
    this.db.pragma("secure_delete = OFF");
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  update(patch: Partial<AppSettings>): AppSettings {
    const merged = appSettingsSchema.parse({ ...this.get(), ...patch });
    const upsert = this.db.prepare(`INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json`);
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(merged)) upsert.run(key, JSON.stringify(value));
    })();
    return merged;
  }
}
