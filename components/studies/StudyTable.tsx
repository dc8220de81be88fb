import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/Badge';
import { DataTable } from '@/components/ui/DataTable';
import { formatDicomDate, formatPersonName } from '@/lib/dicom/display.client';
import type { StudyListRow } from '@/lib/dicom/find-studies';
import { Thumbnail } from './Thumbnail';

/** The worklist's rows: who, when, what, how much; each row opens the study. */
export function StudyTable({ rows, sortHeader }: { rows: StudyListRow[]; sortHeader: (column: 'patient' | 'date' | 'received', label: string) => ReactNode }) {
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
          {/* Filled in by labeling (projects) and consent, which are built next. */}
          <td className="px-4 py-2 text-slate-400">not started</td>
          <td className="px-4 py-2 text-slate-400">not asked</td>
          <td className="px-4 py-2 text-xs whitespace-nowrap text-slate-500">{s.receivedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
        </tr>
      ))}
    </DataTable>
  );
}
