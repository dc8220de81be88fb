import { setMaxListeners } from 'node:events';
import type { AppError } from '@/lib/errors/app-error';

/**
 * An abort signal that fires when an operation has waited `ms` without progress: a peer or Kubo that stops
 * answering fails the operation, while a large transfer that keeps moving may take as long as it needs.
 * Plain AbortController + setTimeout: `AbortSignal.any` failed to fire under load on Node 20.
 */
export class IdleDeadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = () => this.#controller.abort(this.#parent?.reason);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired = false;

  constructor(
    readonly ms: number,
    parent?: AbortSignal,
  ) {
    this.signal = this.#controller.signal;
    // Helia and libp2p add a listener per block or stream in flight: not a leak.
    setMaxListeners(Infinity, this.signal);
    this.#parent = parent;
    if (parent?.aborted) this.#controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    this.touch();
  }

  /** True once the timer (not the caller's signal) aborted the operation. */
  get expired(): boolean {
    return this.#expired;
  }

  /** Progress was made: wait another `ms`. */
  touch(): void {
    clearTimeout(this.#timer);
    if (this.signal.aborted) return;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new DOMException(`no progress within ${this.ms} ms`, 'TimeoutError'));
    }, this.ms);
    this.#timer.unref?.();
  }

  /** Fails the operation now with `reason` (e.g. one half of a two-sided transfer failed). */
  abort(reason: unknown): void {
    clearTimeout(this.#timer);
    this.#controller.abort(reason);
  }

  /** Stop counting, e.g. while the consumer of a stream holds a chunk: a slow reader is not a slow peer. */
  pause(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}

export type DeadlineErrors = {
  /** The error when the deadline expired. */
  expired: () => AppError;
  /** Maps any other failure (the caller's own abort is passed through unchanged). */
  map: (err: unknown) => unknown;
};

/** Runs `fn` under an idle deadline; `fn` calls `deadline.touch()` whenever it makes progress. */
export async function withDeadline<T>(ms: number, parent: AbortSignal | undefined, errors: DeadlineErrors, fn: (deadline: IdleDeadline) => Promise<T>): Promise<T> {
  const deadline = new IdleDeadline(ms, parent);
  try {
    return await fn(deadline);
  } catch (err) {
    throw failure(err, deadline, parent, errors);
  } finally {
    deadline.dispose();
  }
}

/** A stream under an idle deadline: each chunk must arrive within `ms` of the consumer asking for it. */
export async function* streamWithDeadline<T>(ms: number, parent: AbortSignal | undefined, errors: DeadlineErrors, open: (signal: AbortSignal) => AsyncIterable<T>): AsyncGenerator<T> {
  const deadline = new IdleDeadline(ms, parent);
  let iterator: AsyncIterator<T> | undefined;
  let finished = false;
  try {
    iterator = open(deadline.signal)[Symbol.asyncIterator]();
    for (;;) {
      deadline.touch();
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (err) {
        finished = true;
        throw failure(err, deadline, parent, errors);
      }
      deadline.pause();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) {
      // The consumer stopped early (a client went away): cancel what the producer still waits for
      // (block requests to peers, the HTTP request to Kubo) and end it.
      deadline.abort(new DOMException('the reader stopped', 'AbortError'));
      await iterator?.return?.(undefined)?.catch(() => undefined);
    }
    deadline.dispose();
  }
}

function failure(err: unknown, deadline: IdleDeadline, parent: AbortSignal | undefined, errors: DeadlineErrors): unknown {
  if (deadline.expired) return errors.expired();
  if (parent?.aborted) return parent.reason ?? err;
  return errors.map(err);
}
