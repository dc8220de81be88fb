'use client';

import { useRouter } from 'next/navigation';
import QRCode from 'qrcode';
import { useState } from 'react';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { formatPersonName } from '@/lib/dicom/display.client';
import type { PatientClaimRow as Row } from '@/lib/patients/find-patients';
import { PaperConsentForm } from './PaperConsentForm';

const TONES = { open: 'brand', claimed: 'success', revoked: 'neutral', expired: 'warning' } as const;
type Issued = { id: string; code: string; expiresAt: string; qr: string };

const date = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

/**
 * One patient on the admin's claim-code page: who they are, whether their studies are claimed, the
 * newest code's state; issuing a code shows it once, as text and a QR code, with a letter to print.
 */
export function PatientClaimRow({ patient, instance, purposes }: { patient: Row; instance: string; purposes: { value: string; label: string }[] }) {
  const router = useRouter();
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [paperForm, setPaperForm] = useState(false);

  async function send(url: string, method: string, body?: unknown) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const answer = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(String(answer.message ?? `HTTP ${res.status}`));
      return answer;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function issue() {
    const answer = (await send(`/api/admin/patients/${patient.id}/claim-codes`, 'POST', {})) as { id: string; code: string; expiresAt: string } | null;
    if (!answer) return;
    // The QR code opens the claim page with the code filled in.
    const url = `${window.location.origin}/claim?code=${encodeURIComponent(answer.code)}`;
    setIssued({ ...answer, qr: await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) });
    router.refresh();
  }

  async function revoke(codeId: string) {
    if (await send(`/api/admin/claim-codes/${codeId}`, 'DELETE')) {
      setIssued(null);
      router.refresh();
    }
  }

  const code = patient.code;
  return (
    <li className="py-3" data-testid="patient" data-patient-key={patient.patientKey}>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-48 flex-1">
          <p className="font-medium">{formatPersonName(patient.name) || 'Name not recorded'}</p>
          <p className="text-xs text-slate-500">
            ID {patient.patientKey}
            {patient.issuer ? ` (${patient.issuer})` : ''} · {patient.studies} {patient.studies === 1 ? 'study' : 'studies'}
          </p>
        </div>
        <div className="text-sm" data-testid="claim-state">
          {patient.account ? (
            <Badge tone="success">Claimed by {patient.account.email}</Badge>
          ) : code ? (
            <Badge tone={TONES[code.status]}>
              Code {code.status}
              {code.status === 'open' ? ` until ${date(code.expiresAt)}` : ''}
            </Badge>
          ) : (
            <span className="text-slate-500">No code issued</span>
          )}
        </div>
        <Button onClick={() => setPaperForm((open) => !open)} variant="secondary" aria-expanded={paperForm}>
          Record a paper form
        </Button>
        {!patient.account && (
          <div className="flex gap-2">
            <Button onClick={issue} disabled={busy} variant={code ? 'secondary' : 'primary'}>
              {code ? 'Issue a new code' : 'Issue a code'}
            </Button>
            {code?.status === 'open' && (
              <Button onClick={() => void revoke(code.id)} disabled={busy} variant="secondary">
                Revoke
              </Button>
            )}
          </div>
        )}
      </div>
      {paperForm && <PaperConsentForm patientId={patient.id} studies={patient.studyList} purposes={purposes} />}
      {error && (
        <p className="mt-2 text-sm text-red-600" role="alert">
          {error}
        </p>
      )}
      {issued && (
        <section className="claim-letter mt-3 rounded-lg border border-slate-200 bg-white p-5 text-slate-900 dark:border-slate-700" aria-label="Claim letter" data-testid="claim-letter">
          <p className="text-sm text-slate-600 print:hidden">Shown once: print the letter or copy the code now. Only its hash is kept.</p>
          <h3 className="mt-2 font-semibold">Your imaging studies at {instance}</h3>
          <p className="mt-1 text-sm">
            Dear {formatPersonName(patient.name) || 'patient'}, you can see your imaging studies and decide whether they may be used for research at{' '}
            <strong>{window.location.origin}/claim</strong>. Open it, or scan the code, and enter:
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-6">
            <p className="font-mono text-2xl font-semibold tracking-widest" data-testid="claim-code">
              {issued.code}
            </p>
            <div className="h-32 w-32" role="img" aria-label="QR code of the claim link" dangerouslySetInnerHTML={{ __html: issued.qr }} />
          </div>
          <p className="mt-2 text-sm">Valid until {date(issued.expiresAt)}, once. Keep it private: whoever uses it sees your studies.</p>
          <div className="mt-3 flex gap-2 print:hidden">
            <Button onClick={() => window.print()} variant="secondary">
              Print letter
            </Button>
            <Button onClick={() => void navigator.clipboard?.writeText(issued.code)} variant="secondary">
              Copy code
            </Button>
          </div>
        </section>
      )}
    </li>
  );
}
