// `npm run bench`: every benchmark, printing its figures. Not part of `npm test`.
import { apiLoad } from "./apiLoad";
import { benchOverhead } from "./benchOverhead";
import { chatOverhead } from "./chatOverhead";
import { cliStart } from "./cliStart";
import { storeScale } from "./storeScale";
import { downloadSpeed } from "./downloadSpeed";
import { embeddingSpeed } from "./embeddingSpeed";
import { engineVsLlamaCpp } from "./engineVsLlamaCpp";
import { gridOverhead } from "./gridOverhead";
import { ingestSpeed } from "./ingestSpeed";
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
  ingestSpeed,
  embeddingSpeed,
  engineVsLlamaCpp,
  apiLoad,
};
const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`No bench named ${unknown.join(", ")}. The benches: ${Object.keys(benches).join(", ")}.`);
  process.exit(2);
}
for (const [name, bench] of Object.entries(benches)) {
  if (only.length === 0 || only.includes(name)) await bench();
}
