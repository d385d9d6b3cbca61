import { chunk } from "../db/client";
import type { EvaluationMessage } from "./messages";

/** Queues accept at most 100 messages per sendBatch call. */
const MAX_MESSAGES_PER_SEND = 100;

/** One message per trace, sent in as few calls as the queue allows. */
export async function enqueueEvaluations(
  queue: Queue<EvaluationMessage>,
  messages: readonly EvaluationMessage[],
): Promise<void> {
  for (const part of chunk(messages, MAX_MESSAGES_PER_SEND)) {
    await queue.sendBatch(part.map((body) => ({ body, contentType: "json" as const })));
  }
}
