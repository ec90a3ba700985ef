// `npm run bench`: every benchmark, printing its figures. Not part of `npm test`.
import { chatOverhead } from "./chatOverhead";

const benches: Record<string, () => Promise<void>> = { chatOverhead };
const only = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length === 0 || only.includes(name)) await bench();
}
