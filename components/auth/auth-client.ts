'use client';

import { createAuthClient } from 'better-auth/react';

/** Talks to Better Auth's endpoints under /api/auth on this origin. */
export const authClient = createAuthClient();
