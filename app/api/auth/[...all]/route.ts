import { getAuth } from '@/lib/auth/auth';

// Better Auth's endpoints (sign-in, sign-out, session, change-password), with its own origin checks
// and rate limits. The instance is created on first request, not at import.
export async function GET(req: Request) {
  return getAuth().handler(req);
}

export async function POST(req: Request) {
  return getAuth().handler(req);
}
