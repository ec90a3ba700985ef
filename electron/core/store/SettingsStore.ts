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

  update(patch: Partial<AppSettings>): AppSettings {
    const merged = appSettingsSchema.parse({ ...this.get(), ...patch });
    const upsert = this.db.prepare(`INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json`);
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(merged)) upsert.run(key, JSON.stringify(value));
    })();
    return merged;
  }
}
