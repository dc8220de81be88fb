'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Alert } from '@/components/ui/Alert';

type Problem = { index: number; id: string | null; problems: string[] };

/** An admin imports consents from the hospital's systems: a FHIR file of Consent resources, all or nothing. */
export function ImportFhirConsentsForm() {
  const router = useRouter();
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string; problems?: Problem[] } | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(file: File) {
    setBusy(true);
    setResult(null);
    const res = await fetch('/api/admin/consents/fhir', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: await file.text() });
    const body = (await res.json().catch(() => ({}))) as { imported?: number; message?: string; resources?: Problem[] };
    setBusy(false);
    if (!res.ok) return setResult({ tone: 'error', text: body.message ?? `The file could not be imported (HTTP ${res.status}).`, problems: body.resources });
    setResult({ tone: 'success', text: `Imported ${body.imported} consent ${body.imported === 1 ? 'decision' : 'decisions'}, each with its ledger entry.` });
    router.refresh();
  }

  return (
    <div className="space-y-2">
      <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium text-brand-700 underline dark:text-brand-500">
        {busy ? 'Importing…' : 'Import consents (FHIR)…'}
        <input
          type="file"
          accept=".json,application/json,application/fhir+json"
          className="sr-only"
          aria-label="Import FHIR Consent resources"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
            e.target.value = '';
          }}
        />
      </label>
      {result && (
        <Alert tone={result.tone}>
          {result.text}
          {result.problems && (
            <ul className="mt-2 list-disc pl-5">
              {result.problems.slice(0, 20).map((p) => (
                <li key={p.index}>
                  Resource {p.index + 1}
                  {p.id ? ` (${p.id})` : ''}: {p.problems.join(' ')}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
    </div>
  );
}
