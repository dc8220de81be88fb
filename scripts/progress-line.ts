/**
 * One status line on stderr for long CLI work: redrawn in place on a terminal, printed every few
 * seconds otherwise (CI logs, pipes), so neither floods.
 */
export function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let last = 0;
  let width = 0;
  return {
    update(text: string, { force = false } = {}) {
      const now = Date.now();
      if (stream.isTTY) {
        stream.write(`\r${text.padEnd(width)}`);
        width = text.length;
      } else if (force || now - last > 5_000) {
        stream.write(`${text}\n`);
        last = now;
      }
    },
    done() {
      if (stream.isTTY && width > 0) stream.write('\n');
    },
  };
}

/** "[########------------]  42%" */
export function bar(done: number, total: number, cells = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * cells);
  return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}
