'use client';

import { useState } from 'react';
import type { ActionResult } from '@/lib/http/action-result';

type Message = { tone: 'success' | 'error'; text: string };

/**
 * The state every action form keeps: busy while the server action runs, its message, and the field
 * errors it returned. `run` resolves to the data on success, null on failure.
 */
export function useActionRunner() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [fields, setFields] = useState<Record<string, string[] | undefined>>({});

  async function run<T>(work: () => Promise<ActionResult<T>>, success?: string | ((data: T) => string)): Promise<T | null> {
    setBusy(true);
    setMessage(null);
    try {
      const result = await work();
      if (!result.ok) {
        setFields(result.error.fields ?? {});
        setMessage({ tone: 'error', text: result.error.message });
        return null;
      }
      setFields({});
      if (success) setMessage({ tone: 'success', text: typeof success === 'function' ? success(result.data) : success });
      return result.data;
    } catch {
      // The action itself never throws; this is the network or the server process going away.
      setMessage({ tone: 'error', text: 'Cohort did not answer. Check your connection and try again.' });
      return null;
    } finally {
      setBusy(false);
    }
  }

  return { busy, message, fields, run };
}
