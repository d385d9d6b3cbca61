import { describe, expect, it } from "vitest";
import { judgeMayCall } from "../../src/judge/address";

describe("which judge base URLs an organization may set", () => {
  it.each([
    ["https://api.openai.com/v1", true],
    ["https://my-vllm.example.com/v1", true],
    ["http://8.8.8.8/v1", true],
    ["http://172.32.0.1/v1", true],
    ["http://[2606:4700::1111]/v1", true],
    ["http://localhost:11434/v1", false],
    ["http://ollama.localhost/v1", false],
    ["http://127.0.0.1:8000/v1", false],
    ["http://10.1.2.3/v1", false],
    ["http://172.16.0.5/v1", false],
    ["http://172.31.255.255/v1", false],
    ["http://192.168.1.20/v1", false],
    ["http://169.254.169.254/latest/meta-data", false],
    ["http://100.64.1.1/v1", false],
    ["http://0.0.0.0:8080/v1", false],
    ["http://[::1]:8080/v1", false],
    ["http://[fd12:3456::1]/v1", false],
    ["http://[fe80::1]/v1", false],
    ["http://[::ffff:10.0.0.1]/v1", false],
    ["http://metadata.google.internal/v1", false],
    ["not a url", false],
  ])("%s → %s", (url, allowed) => {
    expect(judgeMayCall(false, url)).toBe(allowed);
  });

  it("allows private hosts when the deployment opts in", () => {
    expect(judgeMayCall(true, "http://localhost:11434/v1")).toBe(true);
  });
});
