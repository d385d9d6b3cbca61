import type { AgentMessage } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import type { Evidence, RuleMeta } from "../types";
import { type CompiledAxis, compileAxes, decisionOf, type Side } from "./decisions";

type MultiAgentCheck = RuleOfKind<"multi_agent">["check"];

interface Finding {
  detail: string;
  evidence: Evidence | null;
}

function messageEvidence(messages: readonly AgentMessage[], index: number): Evidence | null {
  const message = messages[index];
  return message === undefined
    ? null
    : textEvidence(`agents[${index}].content`, message.content, 0, message.content.length);
}

/** Content compared for loops: case and spacing do not make an exchange new. Long messages compare by prefix. */
function normalised(content: string): string {
  return content.slice(0, 500).toLowerCase().replace(/\s+/g, " ").trim();
}

function findLoop(messages: readonly AgentMessage[], minRepeats: number): Finding | null {
  const counts = new Map<string, number>();
  for (let i = 1; i < messages.length; i += 1) {
    const from = messages[i - 1];
    const to = messages[i];
    if (from === undefined || to === undefined) continue;
    const exchange = `${from.agent}\u0000${normalised(from.content)}\u0000${to.agent}\u0000${normalised(to.content)}`;
    const count = (counts.get(exchange) ?? 0) + 1;
    counts.set(exchange, count);
    if (count >= minRepeats) {
      return {
        detail: `the exchange ${from.agent} → ${to.agent} repeats ${count} times`,
        evidence: messageEvidence(messages, i),
      };
    }
  }
  return null;
}

function recipients(message: AgentMessage): readonly string[] {
  return message.to === undefined ? [] : typeof message.to === "string" ? [message.to] : message.to;
}

/**
 * A handoff is dropped when its recipient never speaks in the exchange. A message to an agent that
 * has spoken (whoever asked, or the start of a pipeline the message closes) returns work to a
 * participant; one that speaks later has picked the work up.
 */
function findDroppedHandoffs(messages: readonly AgentMessage[], ignored: ReadonlySet<string>): Finding[] {
  const speakers = new Set(messages.map((m) => m.agent));
  const dropped = new Set<string>();
  const findings: Finding[] = [];
  messages.forEach((message, i) => {
    for (const recipient of recipients(message)) {
      if (speakers.has(recipient) || ignored.has(recipient) || dropped.has(recipient)) continue;
      dropped.add(recipient);
      findings.push({
        detail: `${message.agent} handed off to ${recipient}, which never answers`,
        evidence: messageEvidence(messages, i),
      });
    }
  });
  return findings;
}

function findConflicts(messages: readonly AgentMessage[], axes: readonly CompiledAxis[]): Finding[] {
  const findings: Finding[] = [];
  for (const axis of axes) {
    // Each agent's final position on the axis: the last of its messages that takes a side.
    const finalSide = new Map<string, { side: Side; index: number }>();
    messages.forEach((message, index) => {
      const side = decisionOf(message.content, axis);
      if (side !== undefined) finalSide.set(message.agent, { side, index });
    });
    const sides = [...finalSide.entries()];
    const first = sides[0];
    const opposed = sides.find(([, s]) => first !== undefined && s.side !== first[1].side);
    if (first === undefined || opposed === undefined) continue;
    const [agentA, a] = first;
    const [agentB, b] = opposed;
    findings.push({
      detail: `${axis.name}: ${agentA} decides "${axis.labels[a.side]}" but ${agentB} decides "${axis.labels[b.side]}"`,
      evidence: messageEvidence(messages, b.index),
    });
  }
  return findings;
}

function run(
  check: MultiAgentCheck,
  axes: readonly CompiledAxis[],
  messages: readonly AgentMessage[],
): Finding[] {
  switch (check.metric) {
    case "loop": {
      const loop = findLoop(messages, check.min_repeats);
      return loop === null ? [] : [loop];
    }
    case "dropped_handoff":
      return findDroppedHandoffs(messages, new Set(check.ignore_recipients));
    case "conflicting_decisions":
      return findConflicts(messages, axes);
  }
}

export function compileMultiAgentRule(rule: RuleOfKind<"multi_agent">, meta: RuleMeta): CompiledRule {
  const axes = rule.check.metric === "conflicting_decisions" ? compileAxes(rule.check.decisions) : [];
  return {
    meta,
    evaluate(view, out) {
      const messages = view.trace.agents;
      if (messages === undefined || messages.length === 0) return;
      const findings = run(rule.check, axes, messages);
      for (const finding of findings) {
        out.push(makeIssue(meta, `${meta.message}: ${finding.detail}`, finding.evidence));
      }
      if (findings.length === 0)
        view.check(
          meta.id,
          "safe",
          `${messages.length} agent messages checked for ${rule.check.metric.replace(/_/g, " ")}`,
        );
    },
  };
}
