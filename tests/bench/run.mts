// `npm run bench`: every benchmark, printing its figures. Not part of `npm test`.
import { benchOverhead } from "./benchOverhead";
import { chatOverhead } from "./chatOverhead";
import { cliStart } from "./cliStart";
import { storeScale } from "./storeScale";
import { downloadSpeed } from "./downloadSpeed";
import { gridOverhead } from "./gridOverhead";
import { retrievalScale } from "./retrievalScale";
import { uiRender } from "./uiRender";

const benches: Record<string, () => Promise<void>> = {
  chatOverhead,
  benchOverhead,
  uiRender,
  downloadSpeed,
  cliStart,
  storeScale,
  retrievalScale,
  gridOverhead,
};
const only = process.argv.slice(2);
for (const [name, bench] of Object.entries(benches)) {
  if (only.length === 0 || only.includes(name)) await bench();
}
