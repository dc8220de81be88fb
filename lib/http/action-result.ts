import type { ErrorCode } from '@/lib/errors/app-error';

/** What a server action returns to the browser: data, or an error a form can show beside its fields. */
export type ActionError = { code: ErrorCode; message: string; fields?: Record<string, string[] | undefined> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
export type Action<I, T> = (input: I) => Promise<ActionResult<T>>;
