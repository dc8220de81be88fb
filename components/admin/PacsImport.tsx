'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { DataTable } from '@/components/ui/DataTable';
import { inputClass } from '@/components/ui/TextField';
import { callApi, useApiCall } from '@/components/ui/use-api-call';
import type { RemoteStudy } from '@/lib/pacs/dicomweb-client';
import type { ImportJobView } from '@/lib/pacs/find-import-jobs';

type Auth = { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

/**
 * Search a PACS over DICOMweb, pick studies, import them in the background and watch the progress.
 * The PACS credentials stay in this page: sent with each request, never stored by Cohort.
 */
export function PacsImport({ initialJobs }: { initialJobs: ImportJobView[] }) {
  const [baseUrl, setBaseUrl] = useState('');
  const [auth, setAuth] = useState<Auth>({ kind: 'none' });
  const [query, setQuery] = useState({ patientName: '', patientId: '', accessionNumber: '', studyDate: '', modality: '' });
  const [studies, setStudies] = useState<RemoteStudy[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [jobs, setJobs] = useState(initialJobs);
  const { busy, error, act } = useApiCall();
  const source = { baseUrl, auth };

  const refresh = useCallback(async () => setJobs((await callApi<{ jobs: ImportJobView[] }>('/api/admin/pacs/imports')).jobs), []);
  const running = jobs.some((j) => j.status === 'running' || j.status === 'queued');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh().catch(() => {}), 1500);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const filled = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim()));
      setStudies((await callApi<{ studies: RemoteStudy[] }>('/api/admin/pacs/search', { method: 'POST', json: { source, query: filled } })).studies);
      setChosen(new Set());
    });
  };
  const importChosen = () =>
    act(async () => {
      await callApi('/api/admin/pacs/imports', { method: 'POST', json: { source, studyInstanceUids: [...chosen] } });
      setChosen(new Set());
      await refresh();
    });
  const resume = (id: string) =>
    act(async () => {
      await callApi(`/api/admin/pacs/imports/${id}/resume`, { method: 'POST', json: { source } });
      await refresh();
    });

  const field = (key: keyof typeof query, label: string, placeholder: string) => (
    <label className="text-xs text-slate-500">
      {label}
      <input value={query[key]} onChange={(e) => setQuery({ ...query, [key]: e.target.value })} placeholder={placeholder} className={`${inputClass} mt-1`} />
    </label>
  );

  return (
    <div className="space-y-6">
      <form onSubmit={search} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
          <label className="text-xs text-slate-500">
            DICOMweb base URL (the part before /studies)
            <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required placeholder="https://pacs.hospital.local/dicom-web" className={`${inputClass} mt-1`} />
          </label>
          <label className="text-xs text-slate-500">
            Sign-in
            <select value={auth.kind} onChange={(e) => setAuth(e.target.value === 'basic' ? { kind: 'basic', user: '', password: '' } : e.target.value === 'bearer' ? { kind: 'bearer', token: '' } : { kind: 'none' })} className={`${inputClass} mt-1`}>
              <option value="none">None</option>
              <option value="basic">User and password</option>
              <option value="bearer">Bearer token</option>
            </select>
          </label>
        </div>
        {auth.kind === 'basic' && (
          <div className="grid gap-3 md:grid-cols-2">
            <input aria-label="PACS user" placeholder="User" value={auth.user} onChange={(e) => setAuth({ ...auth, user: e.target.value })} className={inputClass} />
            <input aria-label="PACS password" type="password" placeholder="Password" value={auth.password} onChange={(e) => setAuth({ ...auth, password: e.target.value })} className={inputClass} />
          </div>
        )}
        {auth.kind === 'bearer' && <input aria-label="PACS token" type="password" placeholder="Token" value={auth.token} onChange={(e) => setAuth({ ...auth, token: e.target.value })} className={inputClass} />}
        <div className="grid gap-3 md:grid-cols-5">
          {field('patientName', 'Patient name', 'Doe')}
          {field('patientId', 'Patient ID', '')}
          {field('accessionNumber', 'Accession', '')}
          {field('studyDate', 'Study date', '20240101-20241231')}
          {field('modality', 'Modality', 'CT')}
        </div>
        <Button type="submit" disabled={busy}>
          Search the PACS
        </Button>
      </form>

      {error && <Alert tone="error" title="The PACS could not be used">{error}</Alert>}

      {studies && (
        <section>
          <div className="mb-2 flex items-center justify-between">
            <h2 className="font-semibold">{studies.length} {studies.length === 1 ? 'study' : 'studies'} found</h2>
            <Button onClick={() => void importChosen()} disabled={busy || chosen.size === 0}>
              Import {chosen.size || ''} {chosen.size === 1 ? 'study' : 'studies'}
            </Button>
          </div>
          <DataTable columns={['', 'Patient', 'ID', 'Date', 'Modalities', 'Description', 'Images']} testId="pacs-results">
            {studies.map((s) => (
              <tr key={s.studyInstanceUid}>
                <td className="px-4 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Choose ${s.patientName} ${s.studyDate}`}
                    checked={chosen.has(s.studyInstanceUid)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(s.studyInstanceUid);
                      else next.delete(s.studyInstanceUid);
                      setChosen(next);
                    }}
                  />
                </td>
                <td className="px-4 py-2">{s.patientName}</td>
                <td className="px-4 py-2 font-mono text-xs">{s.patientId}</td>
                <td className="px-4 py-2">{s.studyDate}</td>
                <td className="px-4 py-2">{s.modalities.join(', ')}</td>
                <td className="px-4 py-2">{s.description}</td>
                <td className="px-4 py-2 tabular-nums">{s.instances ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}

      <section>
        <h2 className="mb-2 font-semibold">Imports</h2>
        {jobs.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No import yet. Search the PACS above, choose studies and import them.</p>
        ) : (
          <ul className="space-y-2" data-testid="import-jobs">
            {jobs.map((j) => (
              <li key={j.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-status={j.status}>
                <div className="flex items-center justify-between gap-3">
                  <span className="truncate font-mono text-xs">{j.sourceUrl}</span>
                  <Badge tone={j.status === 'done' ? 'success' : j.status === 'failed' || j.status === 'interrupted' ? 'danger' : 'brand'}>{j.status}</Badge>
                </div>
                <div role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={j.studiesTotal} aria-valuenow={j.studiesDone} className="mt-2 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
                  <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${(100 * j.studiesDone) / Math.max(1, j.studiesTotal)}%` }} />
                </div>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                  {j.studiesDone} of {j.studiesTotal} studies · {j.instancesStored} images stored · {j.instancesDuplicate} already here · {j.instancesRejected} refused
                </p>
                {j.error && <p className="mt-1 text-xs text-red-700 dark:text-red-400">{j.error}</p>}
                {(j.status === 'failed' || j.status === 'interrupted') && (
                  <Button variant="secondary" className="mt-2" disabled={busy || !baseUrl} onClick={() => void resume(j.id)}>
                    Resume with the connection above
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
