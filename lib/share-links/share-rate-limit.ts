/**
 * Throttles one share link, in this process's memory: a viewer asks for hundreds of frames a minute,
 * which is fine; a link posted publicly and opened from many addresses at once is not what a patient
 * shares a study for. Windows are fixed, one minute for requests and ten for addresses.
 */
export const SHARE_LIMITS = { requestsPerMinute: 10_000, addressesPer10Minutes: 10 } as const;

type Bucket = { minute: number; requests: number; window: number; addresses: Set<string> };
const buckets = new Map<string, Bucket>();

/** True if the link may serve this request now (and counts it); false means 429. */
export function takeShareRequest(linkId: string, address: string, now = Date.now()): boolean {
  const minute = Math.floor(now / 60_000);
  const window = Math.floor(now / 600_000);
  let bucket = buckets.get(linkId);
  if (!bucket) buckets.set(linkId, (bucket = { minute, requests: 0, window, addresses: new Set() }));
  if (bucket.minute !== minute) Object.assign(bucket, { minute, requests: 0 });
  if (bucket.window !== window) Object.assign(bucket, { window, addresses: new Set() });
  if (!bucket.addresses.has(address) && bucket.addresses.size >= SHARE_LIMITS.addressesPer10Minutes) return false;
  if (bucket.requests >= SHARE_LIMITS.requestsPerMinute) return false;
  bucket.addresses.add(address);
  bucket.requests += 1;
  if (buckets.size > 10_000) buckets.delete(buckets.keys().next().value!); // forget the oldest link
  return true;
}
