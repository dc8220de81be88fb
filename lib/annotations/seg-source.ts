import { getDb } from '@/lib/db/client';
import { orderStack, type InstanceJson } from '@/lib/dicom/stack-order.client';
import { retrieveMetadata } from '@/lib/dicomweb/wado-metadata';
import type { SegSource } from './dicom-seg';

type Json = InstanceJson[string];
const first = (a: Json) => a?.Value?.[0];
const numbers = (a: Json) => (a?.Value ?? []).map(Number).filter(Number.isFinite);
const text = (a: Json): string | undefined => {
  const v = first(a);
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? (v as { Alphabetic?: string }).Alphabetic : String(v);
};

/**
 * A series as DICOM-SEG export and import see it: its images in the viewer's stack order (the order
 * labelmap slices are stored in, lib/dicom/stack-order), geometry, and the study's identifying data.
 */
export async function seriesSegSource(studyInstanceUid: string, seriesInstanceUid: string): Promise<SegSource> {
  const instances = (await retrieveMetadata({ study: studyInstanceUid, series: seriesInstanceUid })) as unknown as InstanceJson[];
  const stack = orderStack(instances);
  const head = instances[0]!;
  const study = await getDb().study.findUniqueOrThrow({ where: { studyInstanceUid }, include: { patient: true } });
  const spacing = numbers(head['00280030']);
  const orientation = numbers(head['00200037']);
  return {
    images: stack.images.map((image) => ({ sopClassUid: text(image.instance['00080016']) ?? '', sopInstanceUid: image.sopInstanceUid, frame: image.frame, position: image.position })),
    columns: Number(first(head['00280011']) ?? 0),
    rows: Number(first(head['00280010']) ?? 0),
    orientation: orientation.length === 6 ? orientation : null,
    pixelSpacing: spacing.length === 2 ? [spacing[0]!, spacing[1]!] : null,
    sliceThickness: numbers(head['00180050'])[0] ?? null,
    frameOfReferenceUid: text(head['00200052']) ?? null,
    study: {
      studyInstanceUid,
      patientName: text(head['00100010']) ?? study.patient.name,
      patientId: text(head['00100020']),
      patientBirthDate: study.patient.birthDate || undefined,
      patientSex: study.patient.sex || undefined,
      studyDate: study.studyDate || undefined,
      studyTime: study.studyTime || undefined,
      studyId: study.studyId || undefined,
      accessionNumber: study.accessionNumber || undefined,
      referringPhysicianName: study.referringPhysician || undefined,
    },
    seriesInstanceUid,
  };
}
