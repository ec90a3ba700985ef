import type { ChatModelFunctions, ChatWrapper, GbnfJsonSchema, LlamaGrammar } from "node-llama-cpp";
import { HearthError } from "../../../shared/errors";
import type { ChatRequest } from "../protocol";

/**
 * The functions a reply may call, as node-llama-cpp takes them (its chat wrapper writes them into
 * the prompt in the model's own syntax, and a grammar holds the call's arguments to each schema).
 * A schema the grammar cannot follow is refused here, named by its function. A named tool choice
 * leaves only that function.
 */
export async function functionsFor(
  request: Pick<ChatRequest, "tools" | "toolChoice" | "jsonSchema">,
  grammarFor: (schema: Record<string, unknown>) => Promise<LlamaGrammar>,
): Promise<ChatModelFunctions | undefined> {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  if (request.jsonSchema) throw new HearthError("INVALID_INPUT", "A reply can follow a JSON schema or call tools, not both.");
  const choice = request.toolChoice;
  const chosen = typeof choice === "object" ? tools.filter((tool) => tool.name === choice.name) : tools;
  if (chosen.length === 0 && typeof choice === "object")
    throw new HearthError("INVALID_INPUT", `tool_choice names ${choice.name}, which is not among the tools.`);
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of chosen) {
    if (tool.parameters) {
      await grammarFor(tool.parameters).catch((error: unknown) => {
        throw new HearthError("INVALID_INPUT", `Tool ${tool.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    functions[tool.name] = { description: tool.description, params: tool.parameters as GbnfJsonSchema | undefined };
  }
  return functions;
}

/**
 * The chat wrapper as it is, but with the reply starting inside a function call: the grammar then
 * makes the model name one of the functions and write its arguments (tool_choice "required" or a
 * named function), which node-llama-cpp parses as it parses a call the model chose to make.
 */
export function callingWrapper(base: ChatWrapper): ChatWrapper {
  const wrapper = Object.create(base) as ChatWrapper;
  wrapper.generateContextState = (options) => {
    // Triggers that would open a thought or plain text first (a reasoning model's) give way to the call.
    const { contextText, stopGenerationTriggers, ignoreStartText } = base.generateContextState(options);
    return { contextText, stopGenerationTriggers, ignoreStartText, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } };
  };
  return wrapper;
}
