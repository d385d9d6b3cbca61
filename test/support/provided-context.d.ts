// What the Node-side global setup hands to the tests (`inject`), in both vitest projects.
export {};

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the fake OpenAI-compatible judge (test/support/fake-judge-server.ts). */
    judgeOrigin: string;
  }
}
