import { getDb } from '@/lib/db/client';
import { isUniqueViolation } from '@/lib/db/is-unique-violation';

/** The demo phantom's Patient ID (lib/dicom/synthetic-ct.ts). */
const DEMO_PATIENT_ID = 'DEMO-CT-0001';

/**
 * Links the demo patient account to the demo CT's patient, as claiming a code would, so the portal
 * has a study to show on first run. Only when neither is linked yet; true when it linked them.
 */
export async function seedDemoPatientLink(): Promise<boolean> {
  const db = getDb();
  const [user, patient] = await Promise.all([
    db.user.findUnique({ where: { email: 'patient@demo.cohort.local' }, select: { id: true, patientLinks: { select: { patientId: true } } } }),
    db.patient.findFirst({ where: { patientKey: DEMO_PATIENT_ID }, select: { id: true, link: { select: { userId: true } } } }),
  ]);
  if (!user || !patient || patient.link || user.patientLinks.length) return false;
  try {
    await db.patientLink.create({ data: { patientId: patient.id, userId: user.id } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false; // linked by a process starting at the same moment
    throw err;
  }
}
