/**
 * A queue one side fills while the other reads it as an async iterable, with back-pressure: `push`
 * waits while the items not yet read weigh more than `capacity` (by `weigh`), so a fast producer
 * holds a bounded amount in memory. `close` ends the iteration once everything pushed was read;
 * `fail` makes the reader throw. When the reader stops early (or throws), later pushes throw.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #weight = 0;
  #closed = false;
  #failure: { error: unknown } | null = null;
  #readerGone = false;
  #wakeReader: (() => void) | null = null;
  #wakeWriters: (() => void)[] = [];

  constructor(
    private readonly capacity: number,
    private readonly weigh: (item: T) => number = () => 1,
  ) {}

  async push(item: T): Promise<void> {
    while (!this.#readerGone && this.#items.length > 0 && this.#weight + this.weigh(item) > this.capacity) {
      await new Promise<void>((resolve) => this.#wakeWriters.push(resolve));
    }
    if (this.#readerGone) throw new Error('The queue is no longer read.');
    if (this.#closed || this.#failure) throw new Error('The queue is closed.');
    this.#items.push(item);
    this.#weight += this.weigh(item);
    this.#wake();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    try {
      for (;;) {
        if (this.#failure) throw this.#failure.error;
        const item = this.#items.shift();
        if (item !== undefined) {
          this.#weight -= this.weigh(item);
          this.#wakeAllWriters();
          yield item;
          continue;
        }
        if (this.#closed) return;
        await new Promise<void>((resolve) => (this.#wakeReader = resolve));
      }
    } finally {
      this.#readerGone = true;
      this.#items = [];
      this.#wakeAllWriters();
    }
  }

  #wake(): void {
    this.#wakeReader?.();
    this.#wakeReader = null;
  }

  #wakeAllWriters(): void {
    for (const wake of this.#wakeWriters.splice(0)) wake();
  }
}
