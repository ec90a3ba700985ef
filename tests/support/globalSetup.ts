import { ensureTestModel } from "./testModel";

export default async function setup(): Promise<void> {
  await ensureTestModel();
}
