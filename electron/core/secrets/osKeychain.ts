import { createRequire } from "node:module";
import type { Keychain } from "./SecretVault";

const SERVICE = "Hearth";

/**
 * The OS keychain through @napi-rs/keyring, or null where the library cannot load (an unusual
 * platform). Whether a keychain service actually runs shows only when a secret is written.
 */
export function osKeychain(): Keychain | null {
  let Entry: typeof import("@napi-rs/keyring").Entry;
  try {
    ({ Entry } = createRequire(import.meta.url)("@napi-rs/keyring") as typeof import("@napi-rs/keyring"));
  } catch {
    return null;
  }
  return {
    get: (name) => new Entry(SERVICE, name).getPassword() ?? null,
    set: (name, value) => new Entry(SERVICE, name).setPassword(value),
    delete: (name) => void new Entry(SERVICE, name).deletePassword(),
  };
}
