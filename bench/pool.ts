/** Runs async jobs with bounded concurrency, like an identity provider's sync workers. */
export async function runPool<T>(items: T[], concurrency: number, job: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      await job(items[index], index);
    }
  });
  await Promise.all(workers);
}
