import { formatDicomDate } from '@/lib/dicom/display.client';
import type { ExclusionReason } from '@/lib/datasets/exclusion-reasons';
import type { DatasetPreview } from '@/lib/datasets/preview-dataset';
import { Badge } from '@/components/ui/Badge';
import { Card } from '@/components/ui/Card';
import { DataTable } from '@/components/ui/DataTable';
import { ClassBalanceChart } from './ClassBalanceChart';

/** Rows shown per table: a preview is for checking, the published manifest lists everything. */
const ROWS = 300;
const SPLIT_LABEL = { train: 'Train', val: 'Validation', test: 'Test' } as const;

/** What publishing now would produce: counts, splits, class balance, and every study in or out with the reason. */
export function DatasetPreviewPanel({ preview, reasonText }: { preview: DatasetPreview; reasonText: Record<ExclusionReason, string> }) {
  const { summary } = preview;
  // Patients are numbered by first appearance: enough to see that one patient's studies share a split, naming no one.
  const patientNumbers = new Map<string, number>();
  for (const s of [...preview.included, ...preview.excluded]) if (!patientNumbers.has(s.patientId)) patientNumbers.set(s.patientId, patientNumbers.size + 1);
  const patient = (id: string) => `#${patientNumbers.get(id)}`;
  return (
    <div className="space-y-6" data-testid="dataset-preview">
      <div className="grid gap-4 sm:grid-cols-3 xl:grid-cols-5">
        <Stat label="Studies included" value={summary.included} detail={`of ${summary.candidates} in the projects`} testId="preview-included" />
        <Stat label="Patients" value={summary.patients} detail="each in one split only" />
        {(['train', 'val', 'test'] as const).map((s) => (
          <Stat key={s} label={SPLIT_LABEL[s]} value={summary.bySplit[s].studies} detail={`${summary.bySplit[s].patients} ${summary.bySplit[s].patients === 1 ? 'patient' : 'patients'}`} testId={`preview-${s}`} />
        ))}
      </div>
      <Card>
        <h3 className="mb-3 text-sm font-semibold">Class balance</h3>
        <ClassBalanceChart classes={summary.classBalance} />
      </Card>
      {summary.excluded > 0 && (
        <Card>
          <h3 className="mb-3 text-sm font-semibold">Why {summary.excluded} studies are left out</h3>
          <ul className="grid gap-x-10 gap-y-1 text-sm sm:grid-cols-2" data-testid="exclusion-reasons">
            {Object.entries(summary.byReason).map(([reason, n]) => (
              <li key={reason} className="flex justify-between gap-4 border-b border-slate-100 py-1 dark:border-slate-800">
                <span>{reasonText[reason as ExclusionReason]}</span>
                <span className="tabular-nums">{n}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {preview.included.length > 0 && (
        <section>
          <h3 className="mb-2 text-sm font-semibold">Included</h3>
          <DataTable columns={['Study date', 'Patient', 'Modalities', 'Split', 'Label', 'Classes']} testId="included-studies">
            {preview.included.slice(0, ROWS).map((s) => (
              <tr key={s.studyId}>
                <td className="px-4 py-2 whitespace-nowrap">{formatDicomDate(s.studyDate) || '—'}</td>
                <td className="px-4 py-2">{patient(s.patientId)}</td>
                <td className="px-4 py-2">{s.modalities.join(', ')}</td>
                <td className="px-4 py-2">
                  <Badge tone={s.split === 'train' ? 'brand' : s.split === 'val' ? 'warning' : 'neutral'}>{SPLIT_LABEL[s.split]}</Badge>
                </td>
                <td className="px-4 py-2">{s.labelStatus.replace('_', ' ')}</td>
                <td className="px-4 py-2 text-xs">{s.classes.join(' · ') || '—'}</td>
              </tr>
            ))}
          </DataTable>
          {preview.included.length > ROWS && <p className="mt-2 text-xs text-slate-500">And {preview.included.length - ROWS} more.</p>}
        </section>
      )}
      {preview.excluded.length > 0 && (
        <section>
          <h3 className="mb-2 text-sm font-semibold">Left out</h3>
          <DataTable columns={['Study date', 'Patient', 'Modalities', 'Why']} testId="excluded-studies">
            {preview.excluded.slice(0, ROWS).map((s) => (
              <tr key={s.studyId}>
                <td className="px-4 py-2 whitespace-nowrap">{formatDicomDate(s.studyDate) || '—'}</td>
                <td className="px-4 py-2">{patient(s.patientId)}</td>
                <td className="px-4 py-2">{s.modalities.join(', ')}</td>
                <td className="px-4 py-2">
                  <span className="flex flex-wrap gap-1">
                    {s.reasons.map((r) => (
                      <Badge key={r} tone={r.startsWith('consent') ? 'danger' : 'neutral'}>
                        {reasonText[r]}
                      </Badge>
                    ))}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
          {preview.excluded.length > ROWS && <p className="mt-2 text-xs text-slate-500">And {preview.excluded.length - ROWS} more.</p>}
        </section>
      )}
    </div>
  );
}

function Stat({ label, value, detail, testId }: { label: string; value: number; detail: string; testId?: string }) {
  return (
    <Card className="p-4">
      <p className="text-xs text-slate-500 uppercase">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      <p className="text-xs text-slate-500">{detail}</p>
    </Card>
  );
}
