import type { Readable } from 'node:stream';

/**
 * Opens files in order, the next one opened and its first chunk read while the current one is
 * consumed: a copy of many files (a study download) then waits on the disk once rather than once per
 * file. `close` releases the file read ahead when the copy stops before reaching it.
 */
export class ReadAhead {
  #next: { index: number; stream: Promise<Readable> } | null = null;

  constructor(
    readonly count: number,
    readonly openFile: (index: number) => Promise<Readable>,
  ) {}

  open(index: number): Promise<Readable> {
    const current = this.#next?.index === index ? this.#next.stream : this.#start(index);
    this.#next = null;
    if (index + 1 < this.count) {
      const stream = this.#start(index + 1);
      stream.catch(() => undefined); // its error surfaces when its turn comes, not as an unhandled rejection now
      this.#next = { index: index + 1, stream };
    }
    return current;
  }

  close(): void {
    void this.#next?.stream.then((s) => s.destroy(), () => undefined);
    this.#next = null;
  }

  async #start(index: number): Promise<Readable> {
    const stream = await this.openFile(index);
    stream.read(0); // start filling its buffer now
    return stream;
  }
}
