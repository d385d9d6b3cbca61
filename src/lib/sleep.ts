/** A timer of the caller's own request: the way to wait in a Worker without awaiting another request. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
