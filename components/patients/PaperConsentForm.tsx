'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { inputClass } from '@/components/ui/TextField';
import { formatDicomDate } from '@/lib/dicom/display.client';

/** An admin records a patient's decision from a signed paper form, with the scan attached. */
export function PaperConsentForm({ patientId, studies, purposes }: { patientId: string; studies: { id: string; date: string; description: string }[]; purposes: { value: string; label: string }[] }) {
  const router = useRouter();
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setBusy(true);
    setResult(null);
    const res = await fetch(`/api/admin/patients/${patientId}/consents`, { method: 'POST', body: new FormData(element) });
    const body = (await res.json().catch(() => ({}))) as { message?: string; fields?: Record<string, string[]> };
    setBusy(false);
    if (!res.ok) return setResult({ tone: 'error', text: body.message ?? Object.values(body.fields ?? {}).flat()[0] ?? `Not recorded (HTTP ${res.status}).` });
    element.reset();
    setResult({ tone: 'success', text: 'Recorded, with the scan as evidence and its ledger entry.' });
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="mt-3 grid gap-2 rounded-md border border-slate-200 p-3 text-sm sm:grid-cols-2 dark:border-slate-700" aria-label="Record a paper form">
      <label className="block">
        Use
        <select name="purpose" className={inputClass} required>
          {purposes.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        Decision on the form
        <select name="decision" className={inputClass} required>
          <option value="granted">Allowed</option>
          <option value="denied">Declined</option>
          <option value="revoked">Withdrawn</option>
        </select>
      </label>
      <label className="block">
        Studies
        <select name="studyId" className={inputClass} defaultValue="">
          <option value="">All the patient&apos;s studies</option>
          {studies.map((s) => (
            <option key={s.id} value={s.id}>
              {formatDicomDate(s.date) || 'undated'} · {s.description || 'study'}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        Allowed until (optional)
        <input name="validUntil" type="date" className={inputClass} />
      </label>
      <label className="block sm:col-span-2">
        Scan of the signed form (PDF, JPEG or PNG)
        <input name="scan" type="file" accept="application/pdf,image/jpeg,image/png" required className="mt-1 block text-sm" />
      </label>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={busy}>
          {busy ? 'Recording…' : 'Record the decision'}
        </Button>
      </div>
      {result && (
        <div className="sm:col-span-2">
          <Alert tone={result.tone}>{result.text}</Alert>
        </div>
      )}
    </form>
  );
}
