// A prompt longer than the model's context is the client's mistake, not the backend's failure: the
// gateway answers 400 context_length_exceeded as OpenAI does (a 502 makes clients retry a hopeless
// request), for a white-box model and for an OpenAI-compatible upstream that says so itself.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyGguf } from "../engine/test-support/tiny-gguf.js";
import { ModelError } from "../models/errors.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../models/test-support/fake-openai-server.js";
import { backendError } from "./backend-errors.js";
import { startHarness, type Harness } from "./test-support/harness.js";

const models = JSON.parse(readFileSync(new URL("../models/openai-compatible/__fixtures__/models.json", import.meta.url), "utf8"));
const tinyPath = join(mkdtempSync(join(tmpdir(), "pedigree-context-")), "tiny.gguf");
writeFileSync(tinyPath, tinyGguf({ layers: 1, width: 32, heads: 4, ff: 64, seed: 3, contextLength: 16 }).bytes);
// OpenAI's own answer to an overlong prompt.
const openaiOverflow = {
  status: 400,
  json: { error: { message: "This model's maximum context length is 16 tokens. However, your messages resulted in 80 tokens. Please reduce the length of the messages.", type: "invalid_request_error", param: "messages", code: "context_length_exceeded" } },
};

let harness: Harness;
let upstream: FakeOpenAIServer;
let secret: string;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer(models);
  upstream.script([openaiOverflow]);
  harness = await startHarness({ tiny: tinyPath, upstream: `${upstream.baseURL}#m` });
  secret = (await harness.createKey("main")).secret;
});
afterAll(async () => {
  await harness.stop();
  await upstream.close();
});

const longPrompt = [{ role: "user" as const, content: "the quick brown fox jumps over the lazy dog ".repeat(8) }];

async function failure(request: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await request.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

describe("a prompt longer than the model's context", () => {
  for (const model of ["tiny", "upstream"]) {
    it(`answers 400 context_length_exceeded (${model}, non-streamed and streamed)`, async () => {
      const client = harness.client(secret);
      for (const stream of [false, true]) {
        const error = await failure(client.chat.completions.create({ model, messages: longPrompt, max_tokens: 4, stream }));
        expect(error.status).toBe(400);
        expect(error.error).toMatchObject({ type: "invalid_request_error", code: "context_length_exceeded", param: "messages" });
        expect(error.message).toMatch(new RegExp(`longer than the context of '${model}'`));
      }
    });
  }

  it("maps the adapters' errors without a server", () => {
    const engine = backendError(new ModelError("MODEL_CONTEXT_OVERFLOW", "the prompt has 80 tokens but tiny holds at most 16; shorten it"), "tiny", false);
    expect(engine).toMatchObject({ status: 400, code: "CONTEXT_LENGTH_EXCEEDED", param: "messages" });
    const passedOn = backendError(new ModelError("MODEL_CONTEXT_OVERFLOW", "upstream answered 400: too long", { statusCode: 400 }), "up", false);
    expect(passedOn.toJSON().error.code).toBe("context_length_exceeded");
    const other = backendError(new ModelError("MODEL_API_ERROR", "upstream answered 400: bad stop", { statusCode: 400 }), "up", false);
    expect(other).toMatchObject({ status: 400, code: "UPSTREAM_REJECTED" });
  });
});
