/** Public API of the evaluation engine: a pure library (no bindings, no I/O). */

export { compilePack, type LoadResult, loadDomainPack, type PackError } from "./compile";
export type { CompiledPack, CompiledRule } from "./compiled";
export { evaluateTier1, type Tier1Options } from "./engine";
export { type Citation, extractCitations } from "./kinds/citation";
export { extractQuantities } from "./kinds/decisions";
export { type DoseMention, extractDoses } from "./kinds/dose";
export { buildLexicon, type DrugLexicon } from "./kinds/drugs";
export {
  type DomainPack,
  type DomainPackInput,
  domainPackSchema,
  RULE_KINDS,
  type Rule,
  severitySchema,
} from "./pack-schema";
export { BUILTIN_PACK_DEFINITIONS, builtinPacks } from "./packs/index";
export {
  detectPhi,
  isLuhnValid,
  type PhiMatch,
  redactLogRecord,
  redactSpan,
  redactTrace,
  storedIdentifier,
} from "./phi";
export { GENERIC_DOMAIN, routeDomain } from "./routing";
export type { EvalIssue, Evidence, ModuleTiming, Severity, Tier1Result } from "./types";
export { canonicalJson, ENGINE_VERSION, fnv1a64, packsContentHash } from "./version";
