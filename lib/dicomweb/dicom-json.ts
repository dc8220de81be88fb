/**
 * DICOM JSON (PS3.18 Annex F): attributes keyed by 8-hex-digit tag, each { vr, Value }. The few
 * builders Cohort needs to answer in it.
 */
export type DicomJsonValue = { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string };
export type DicomJsonDataset = Record<string, DicomJsonValue>;

export const attr = (vr: string, ...values: unknown[]): DicomJsonValue => (values.length ? { vr, Value: values } : { vr });
export const seq = (items: DicomJsonDataset[]): DicomJsonValue => attr('SQ', ...items);
