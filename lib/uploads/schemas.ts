import { z } from 'zod';

export const UPLOAD_TYPES = ['application/dicom', 'application/zip'] as const;

export const ZStartUpload = z.object({
  name: z.string().trim().min(1).max(512),
  size: z.number().int().positive(),
  type: z.enum(UPLOAD_TYPES),
});
export type StartUploadInput = z.infer<typeof ZStartUpload>;
