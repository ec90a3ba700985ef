import { createRequire } from "node:module";
import type { Keychain } from "./SecretVault";

const SERVICE = "Hearth";

/**
 * The OS keychain through @napi-rs/keyring, or null where the library cannot load (an unusual
 * platform). Whether a keychain service actually runs shows only when a secret is written. Items
 * are named by the data folder they belong to (`hfToken (/home/me/.config/Hearth)`), so two data
 * folders never share or overwrite one.
 */
export function osKeychain(dataDir: string): Keychain | null {
  let Entry: typeof import("@napi-rs/keyring").Entry;
  try {
    ({ Entry } = createRequire(import.meta.url)("@napi-rs/keyring") as typeof import("@napi-rs/keyring"));
  } catch {
    return null;
  }
  const entry = (name: string) => new Entry(SERVICE, `${name} (${dataDir})`);
  return {
    get: (name) => entry(name).getPassword() ?? null,
    set: (name, value) => entry(name).setPassword(value),
    delete: (name) => void entry(name).deletePassword(),
  };
}
