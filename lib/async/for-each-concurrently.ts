/** Runs `work` on every item, `parallelism` at a time; on a failure, waits for those running, then throws it. */
export async function forEachConcurrently<T>(items: readonly T[], parallelism: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}
