import 'server-only';
import { notFound } from 'next/navigation';
import { isAppError } from '@/lib/errors/app-error';

/** A page's lookup: the domain's NOT_FOUND becomes the 404 page; anything else stays an error. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (err) {
    if (isAppError(err, 'NOT_FOUND')) notFound();
    throw err;
  }
}
