import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import { formatDicomDate, formatPersonName } from '@/lib/dicom/display.client';
import type { StudyListRow } from '@/lib/dicom/find-studies';
import { Thumbnail } from './Thumbnail';

/** What the worklist says of a study's labels and consent, from the page. */
export type StudyRowStatus = {
  /** Readers' labels by status (in_progress, submitted, accepted, …). */
  labels: Record<string, number>;
  /** The uses the patient's consent allows now, as labels. */
  consent: string[];
};

const LABEL_ORDER = ['accepted', 'in_review', 'submitted', 'changes_requested', 'in_progress'] as const;

/** The worklist's rows: who, when, what, how much, how far labeled, what consent allows; each row opens the study. */
export function StudyTable({ rows, status, sortHeader }: { rows: StudyListRow[]; status: Record<string, StudyRowStatus>; sortHeader: (column: 'patient' | 'date' | 'received', label: string) => ReactNode }) {
  return (
    <DataTable
      testId="study-table"
      columns={[
        '',
        sortHeader('patient', 'Patient'),
        sortHeader('date', 'Study date'),
        'Modality',
        'Description',
        'Accession',
        'Series / images',
        'Labels',
        'Consent',
        sortHeader('received', 'Received'),
      ]}
    >
      {rows.map((s) => (
        <tr key={s.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
          <td className="py-1 pl-3">
            {s.firstSeriesUid ? (
              <Link href={`/studies/${s.id}/viewer`} title="Open in the viewer" aria-label={`Open ${formatPersonName(s.patientName) || 'study'} in the viewer`}>
                <Thumbnail src={`/dicomweb/studies/${s.studyInstanceUid}/series/${s.firstSeriesUid}/thumbnail`} label={s.firstSeriesModality || '?'} size={48} />
              </Link>
            ) : null}
          </td>
          <td className="px-4 py-2">
            <Link href={`/studies/${s.id}`} className="font-medium text-brand-700 hover:underline dark:text-brand-500" title={s.patientName}>
              {formatPersonName(s.patientName) || 'Unnamed patient'}
            </Link>
            <div className="text-xs text-slate-500">{[s.patientId, s.patientBirthDate && `born ${formatDicomDate(s.patientBirthDate)}`].filter(Boolean).join(' · ')}</div>
          </td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDicomDate(s.studyDate) || '—'}</td>
          <td className="px-4 py-2">
            <span className="flex gap-1">
              {s.modalities.map((m) => (
                <Badge key={m} tone="brand">
                  {m}
                </Badge>
              ))}
            </span>
          </td>
          <td className="max-w-64 truncate px-4 py-2" title={s.description}>
            {s.description || '—'}
          </td>
          <td className="px-4 py-2 font-mono text-xs">{s.accessionNumber || '—'}</td>
          <td className="px-4 py-2 tabular-nums">
            {s.seriesCount} / {s.instanceCount}
          </td>
          <td className="px-4 py-2 text-xs" data-testid="study-labels">
            {labelText(status[s.id]?.labels ?? {}) || <span className="text-slate-400">none yet</span>}
          </td>
          <td className="px-4 py-2 text-xs" data-testid="study-consent">
            {status[s.id]?.consent.join(', ') || <span className="text-slate-400">nothing allowed yet</span>}
          </td>
          <td className="px-4 py-2 text-xs whitespace-nowrap text-slate-500">{s.receivedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function labelText(labels: Record<string, number>): string {
  return LABEL_ORDER.filter((k) => labels[k]).map((k) => `${labels[k]} ${k.replace('_', ' ')}`).join(', ');
}
