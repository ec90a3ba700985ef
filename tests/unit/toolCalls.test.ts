import { describe, expect, it } from "vitest";
import { chatCompletionRequestSchema } from "../../electron/core/openai/openAiSchemas";
import { endsInAnsweredCalls, toChatHistory } from "../../electron/core/engine/worker/historyFit";
import { historyOf, toolCallsOut, toolsOf } from "../../electron/core/openai/toolCalls";

const weather = { type: "function" as const, function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } };
const request = (body: Record<string, unknown>) => chatCompletionRequestSchema.parse({ model: "m", messages: [{ role: "user", content: "hi" }], ...body });

describe("OpenAI tool calls in the engine's terms", () => {
  it("joins each tool message to the call it answers, by id, results as JSON where they are", () => {
    const { messages } = request({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "b", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "b", content: "sunny" },
        { role: "tool", tool_call_id: "a", content: '{"celsius":21}' },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(historyOf(messages)).toEqual([
      { role: "user", text: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        text: "",
        toolCalls: [
          { name: "get_weather", params: { city: "Paris" }, result: { celsius: 21 } },
          { name: "get_weather", params: { city: "Rome" }, result: "sunny" },
        ],
      },
      { role: "user", text: "Thanks" },
    ]);
  });

  it("keeps one assistant turn across its calls, their results, more calls and the answer, in order", () => {
    const call = (id: string, city: string) => ({ id, type: "function", function: { name: "get_weather", arguments: JSON.stringify({ city }) } });
    const { messages } = request({
      messages: [
        { role: "user", content: "Paris, then Rome?" },
        { role: "assistant", content: "Checking Paris.", tool_calls: [call("a", "Paris")] },
        { role: "tool", tool_call_id: "a", content: "sunny" },
        { role: "assistant", content: "Now Rome.", tool_calls: [call("b", "Rome")] },
        { role: "tool", tool_call_id: "b", content: "rain" },
        { role: "assistant", content: "Sunny in Paris, rain in Rome." },
        { role: "user", content: "And now?" },
        { role: "assistant", tool_calls: [call("c", "Paris")] },
        { role: "tool", tool_call_id: "c", content: "cloudy" },
      ],
    });
    const history = historyOf(messages);
    expect(history).toEqual([
      { role: "user", text: "Paris, then Rome?" },
      {
        role: "assistant",
        text: "Sunny in Paris, rain in Rome.",
        toolCalls: [
          { name: "get_weather", params: { city: "Paris" }, result: "sunny", textBefore: "Checking Paris." },
          { name: "get_weather", params: { city: "Rome" }, result: "rain", textBefore: "Now Rome.", startsNewChunk: true },
        ],
      },
      { role: "user", text: "And now?" },
      // Its answer is still to come: the reply goes on in this turn.
      { role: "assistant", text: "", toolCalls: [{ name: "get_weather", params: { city: "Paris" }, result: "cloudy" }] },
    ]);
    expect(endsInAnsweredCalls(history)).toBe(true);
    expect(endsInAnsweredCalls(history.slice(0, 3))).toBe(false);
    // As node-llama-cpp keeps it: text and calls in the order they came, the answer last.
    expect(toChatHistory(null, history)[1]).toEqual({
      type: "model",
      response: [
        "Checking Paris.",
        { type: "functionCall", name: "get_weather", params: { city: "Paris" }, result: "sunny" },
        "Now Rome.",
        { type: "functionCall", name: "get_weather", params: { city: "Rome" }, result: "rain", startsNewChunk: true },
        "Sunny in Paris, rain in Rome.",
      ],
    });
  });

  it("refuses a conversation whose calls and answers do not pair up, in words", () => {
    const call = { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "get_weather", arguments: "{}" } }] };
    expect(() => historyOf(request({ messages: [{ role: "user", content: "?" }, call, { role: "user", content: "and?" }] }).messages)).toThrow(
      /tool call a has no tool message answering it/,
    );
    expect(() =>
      historyOf(
        request({
          messages: [
            { role: "user", content: "?" },
            { role: "tool", tool_call_id: "zz", content: "1" },
          ],
        }).messages,
      ),
    ).toThrow(/answers zz, which no assistant message called/);
    const broken = { role: "assistant", tool_calls: [{ id: "a", type: "function", function: { name: "get_weather", arguments: "{city:" } }] };
    expect(() =>
      historyOf(request({ messages: [{ role: "user", content: "?" }, broken, { role: "tool", tool_call_id: "a", content: "1" }] }).messages),
    ).toThrow(/arguments of tool call a are not JSON/);
  });

  it("reads the tools and the choice: auto, required, a named one, or none at all", () => {
    expect(toolsOf(request({ tools: [weather] }))).toEqual({
      tools: [{ name: "get_weather", parameters: weather.function.parameters }],
      toolChoice: "auto",
    });
    expect(toolsOf(request({ tools: [weather], tool_choice: "required" })).toolChoice).toBe("required");
    expect(toolsOf(request({ tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } } })).toolChoice).toEqual({
      name: "get_weather",
    });
    expect(toolsOf(request({ tools: [weather], tool_choice: "none" }))).toEqual({});
    expect(() => toolsOf(request({ tool_choice: "required" }))).toThrow(/tools lists none/);
    expect(() => toolsOf(request({ tools: [weather, weather] }))).toThrow(/listed twice/);
    expect(() => toolsOf(request({ tools: [weather], tool_choice: { type: "function", function: { name: "get_time" } } }))).toThrow(/not among the tools/);
    expect(() => toolsOf(request({ tools: [weather], response_format: { type: "json_object" } }))).toThrow(/not both/);
    expect(chatCompletionRequestSchema.safeParse({ model: "m", messages: [], tools: [{ type: "function", function: { name: "no spaces" } }] }).success).toBe(
      false,
    );
  });

  it("answers a reply's calls in OpenAI's shape, arguments as a JSON string, each with its own id", () => {
    const [one, two] = toolCallsOut([
      { name: "get_weather", params: { city: "Paris" } },
      { name: "now", params: undefined },
    ]);
    expect(one).toMatchObject({ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } });
    expect(two!.function.arguments).toBe("{}");
    expect(one!.id).toMatch(/^call_[0-9a-f]{32}$/);
    expect(one!.id).not.toBe(two!.id);
  });
});
