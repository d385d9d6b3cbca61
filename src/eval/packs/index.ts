import { loadDomainPack } from "../compile";
import type { CompiledPack } from "../compiled";
import type { DomainPackInput } from "../pack-schema";
import { genericPack } from "./generic";
import { healthcarePack } from "./healthcare";
import { legalPack } from "./legal";
import { roboticsPack } from "./robotics";
import { tradingPack } from "./trading";

export const BUILTIN_PACK_DEFINITIONS: readonly DomainPackInput[] = [
  healthcarePack,
  tradingPack,
  legalPack,
  roboticsPack,
  genericPack,
];

/** Built-in packs go through the same validation as custom ones; an invalid one is a programming error. */
function compileBuiltins(): ReadonlyMap<string, CompiledPack> {
  const packs = new Map<string, CompiledPack>();
  for (const definition of BUILTIN_PACK_DEFINITIONS) {
    const result = loadDomainPack(definition);
    if (!result.ok) {
      const details = result.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
      throw new Error(`built-in pack "${definition.name}" is invalid: ${details}`);
    }
    packs.set(result.pack.name, result.pack);
  }
  return packs;
}

export const builtinPacks: ReadonlyMap<string, CompiledPack> = compileBuiltins();
