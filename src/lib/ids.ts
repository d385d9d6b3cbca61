const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID-style id with a type prefix: 48 bits of milliseconds then 80 random bits, so ids sort by
 * creation time and can break ties in newest-first paging.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random = "";
  for (const b of crypto.getRandomValues(new Uint8Array(16))) random += CROCKFORD[b % 32];
  return `${prefix}_${time}${random}`;
}
