import { describe, expect, it } from "vitest";
import { parseModelReference } from "./reference.js";

describe("parseModelReference", () => {
  it.each([
    ["atlas", { kind: "builtin", name: "atlas" }],
    ["./models/x.gguf", { kind: "engine", path: "./models/x.gguf" }],
    ["/abs/y.gguf", { kind: "engine", path: "/abs/y.gguf" }],
    ["llamacpp:./tiny.gguf", { kind: "llama-cpp", path: "./tiny.gguf" }],
    ["openai:gpt-4o-mini", { kind: "openai", model: "gpt-4o-mini" }],
    ["http://127.0.0.1:8080/v1#m", { kind: "http", baseURL: "http://127.0.0.1:8080/v1", model: "m" }],
    ["https://api.example.com/v1/#org/model:7b", { kind: "http", baseURL: "https://api.example.com/v1", model: "org/model:7b" }],
  ])("%s", (reference, expected) => {
    expect(parseModelReference(reference)).toEqual(expected);
  });

  it.each(["http://127.0.0.1:8080/v1", "llamacpp:", "openai:", "Not A Model!"])("rejects %s with a hint", (reference) => {
    expect(() => parseModelReference(reference)).toThrow(/cannot understand the model reference/);
  });
});
