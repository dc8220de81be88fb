import { z } from 'zod';

/** A DICOMweb server to import from: its base URL (the part before /studies) and how to sign in. */
export const ZDicomWebSource = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, '')),
  auth: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('basic'), user: z.string().min(1).max(256), password: z.string().max(1024) }),
      z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(8192) }),
    ])
    .default({ kind: 'none' }),
});
export type DicomWebSource = z.infer<typeof ZDicomWebSource>;

export const ZRemoteStudyQuery = z.object({
  patientName: z.string().trim().max(64).optional(),
  patientId: z.string().trim().max(64).optional(),
  accessionNumber: z.string().trim().max(64).optional(),
  /** YYYYMMDD or a range YYYYMMDD-YYYYMMDD. */
  studyDate: z.string().trim().regex(/^(\d{8})?-?(\d{8})?$/).optional(),
  modality: z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{0,16}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type RemoteStudyQuery = z.infer<typeof ZRemoteStudyQuery>;

export const ZStartImport = z.object({
  source: ZDicomWebSource,
  studyInstanceUids: z.array(z.string().regex(/^[0-9.]{1,64}$/)).min(1).max(500),
});
export type StartImportInput = z.infer<typeof ZStartImport>;
