import { randomBase62, sha256Hex } from "./crypto";

export const API_KEY_PREFIX = "aeg_live_";
export const API_KEY_PREFIX_LENGTH = 12;
const API_KEY_PATTERN = /^aeg_live_[0-9A-Za-z]{32}$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  keyHash: string;
}

/** A new key: shown to the caller once; only its prefix and SHA-256 hash are stored. */
export async function generateApiKey(): Promise<GeneratedApiKey> {
  const key = `${API_KEY_PREFIX}${randomBase62(32)}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX_LENGTH), keyHash: await sha256Hex(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}
