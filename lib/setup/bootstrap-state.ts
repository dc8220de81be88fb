/** Where this process's start-up (migrations, first admin) stands; read by the health check. */
export type BootstrapState =
  | { status: 'pending' }
  | { status: 'ready'; at: Date }
  | { status: 'failed'; error: Error; at: Date };

const globalForState = globalThis as typeof globalThis & { __cohortBootstrap?: BootstrapState };

export function getBootstrapState(): BootstrapState {
  // Scripts and tests migrate explicitly and never run start-up; treat them as ready.
  return globalForState.__cohortBootstrap ?? { status: 'ready', at: new Date(0) };
}

export function setBootstrapState(state: BootstrapState): void {
  globalForState.__cohortBootstrap = state;
}
