import { getDb } from '@/lib/db/client';
import { containsInsensitive } from '@/lib/db/contains-insensitive';

export type ClaimCodeStatus = 'open' | 'claimed' | 'revoked' | 'expired';

export type PatientClaimRow = {
  id: string;
  patientKey: string;
  issuer: string;
  name: string;
  birthDate: string;
  studies: number;
  /** The newest of them, for choosing one (a paper form about a single study). */
  studyList: { id: string; date: string; description: string }[];
  /** The account that claimed the patient's studies. */
  account: { email: string; linkedAt: string } | null;
  /** The newest code issued, and what became of it. */
  code: { id: string; issuedAt: string; expiresAt: string; status: ClaimCodeStatus } | null;
};

const PAGE = 50;

/**
 * Patients for the admin's claim-code page: matched by name or Patient ID (stand-ins for files that
 * had none are left out: nobody can be given their code), with whether and by which account their
 * studies were claimed, and the state of the newest code.
 */
export async function findPatients({ q }: { q?: string } = {}, now = new Date()): Promise<PatientClaimRow[]> {
  const text = q?.trim();
  const rows = await getDb().patient.findMany({
    where: { NOT: { patientKey: { startsWith: 'study:' } }, ...(text ? { OR: [{ name: containsInsensitive(text) }, { patientKey: containsInsensitive(text) }] } : {}) },
    orderBy: [{ name: 'asc' }, { patientKey: 'asc' }],
    take: PAGE,
    include: {
      _count: { select: { studies: true } },
      studies: { orderBy: { studyDate: 'desc' }, take: 20, select: { id: true, studyDate: true, description: true } },
      link: { select: { linkedAt: true, user: { select: { email: true } } } },
      claimCodes: { orderBy: { issuedAt: 'desc' }, take: 1 },
    },
  });
  return rows.map((p) => {
    const code = p.claimCodes[0];
    const status: ClaimCodeStatus | null = !code ? null : code.claimedAt ? 'claimed' : code.revokedAt ? 'revoked' : code.expiresAt <= now ? 'expired' : 'open';
    return {
      id: p.id,
      patientKey: p.patientKey,
      issuer: p.issuer,
      name: p.name,
      birthDate: p.birthDate,
      studies: p._count.studies,
      studyList: p.studies.map((s) => ({ id: s.id, date: s.studyDate, description: s.description })),
      account: p.link ? { email: p.link.user.email, linkedAt: p.link.linkedAt.toISOString() } : null,
      code: code && status ? { id: code.id, issuedAt: code.issuedAt.toISOString(), expiresAt: code.expiresAt.toISOString(), status } : null,
    };
  });
}
