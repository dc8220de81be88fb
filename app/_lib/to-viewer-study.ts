import type { ViewerStudy } from '@/components/viewer/viewer-study';
import { formatDicomDate, formatPersonName } from '@/lib/dicom/display.client';
import type { getStudy } from '@/lib/dicom/get-study';
import { patientIdOf } from '@/lib/dicom/patient-key.client';

/** A stored study as the client viewer takes it: display strings and series, no database rows. */
export function toViewerStudy(study: Awaited<ReturnType<typeof getStudy>>): ViewerStudy {
  return {
    id: study.id,
    studyInstanceUid: study.studyInstanceUid,
    description: study.description,
    date: formatDicomDate(study.studyDate),
    patient: formatPersonName(study.patient.name) || 'Unnamed',
    patientId: patientIdOf(study.patient.patientKey),
    series: study.series.map((s) => ({
      seriesInstanceUid: s.seriesInstanceUid,
      number: s.seriesNumber,
      modality: s.modality,
      description: s.description,
      instanceCount: s.instanceCount,
    })),
  };
}
