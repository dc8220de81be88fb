/**
 * A unique constraint refused the write: Prisma's P2002 for its own queries; for raw statements
 * (insertRows) P2010 carrying the driver adapter's UniqueConstraintViolation.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, meta } = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
