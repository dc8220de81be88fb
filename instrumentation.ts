/** Runs once per server start: migrations, first admin, demo users (lib/setup). */
export async function register() {
  // Node-only code behind this check (an early return breaks the edge compile); skipped during `next build`.
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { startBootstrap } = await import('./lib/setup/start-bootstrap');
    await startBootstrap();
  }
}
