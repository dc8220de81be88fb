'use client';

import { useState } from 'react';

/**
 * The state of a component that calls Cohort's JSON API itself (not through a server action): busy
 * while `act` runs, and the message of what went wrong.
 */
export function useApiCall() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, act };
}

/** A call to Cohort's API: `json` is sent as the body; an error answer throws with the server's message. */
export async function callApi<T>(url: string, { method = 'GET', json }: { method?: string; json?: unknown } = {}): Promise<T> {
  const res = await fetch(url, json === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const body = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) {
    const { message = `Cohort answered ${res.status}.`, fields = {} } = body as { message?: string; fields?: Record<string, string[]> };
    // What is wrong with each field, not only that some are.
    throw new Error([message, ...Object.values(fields).flat()].join(' '));
  }
  return body as T;
}
