import { z } from 'zod';
import { MAX_PAPER_FORM_BYTES, recordPaperForm } from '@/lib/consent/record-paper-form';
import { CONSENT_DECISIONS, CONSENT_PURPOSES } from '@/lib/consent/purposes';
import { AppError } from '@/lib/errors/app-error';
import { withAuth } from '@/lib/http/with-auth';

const ZPaperForm = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES),
    decision: z.enum(CONSENT_DECISIONS),
    studyId: z.string().max(64).optional().transform((v) => v || null),
    validUntil: z.iso.date().optional().or(z.literal('').transform(() => undefined)),
  })
  .strict();

/** An admin records a decision from a signed paper form: multipart/form-data with the fields above and `scan` (PDF, JPEG or PNG). */
export const POST = withAuth<{ patientId: string }>(
  async ({ req, user, params }) => {
    if (Number(req.headers.get('content-length') ?? 0) > MAX_PAPER_FORM_BYTES + 64 * 1024) throw new AppError('PAYLOAD_TOO_LARGE', 'The scan is larger than 20 MiB.');
    const form = await req.formData().catch(() => {
      throw new AppError('BAD_REQUEST', 'Send the form as multipart/form-data.');
    });
    const scan = form.get('scan');
    if (!(scan instanceof File)) throw new AppError('BAD_REQUEST', 'Attach the scan of the signed form.');
    const fields = ZPaperForm.parse(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'scan')));
    const decision = await recordPaperForm({
      actorId: user.id,
      patientId: params.patientId,
      studyId: fields.studyId,
      purpose: fields.purpose,
      decision: fields.decision,
      validUntil: fields.validUntil && fields.decision === 'granted' ? new Date(`${fields.validUntil}T00:00:00Z`) : null,
      scan: { bytes: new Uint8Array(await scan.arrayBuffer()), type: scan.type },
    });
    return Response.json({ decision }, { status: 201 });
  },
  { roles: ['admin'] },
);
