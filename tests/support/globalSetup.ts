import { assertTestModel } from "./testModel";

export default function setup(): void {
  assertTestModel();
}
