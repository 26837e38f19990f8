// Ctrl-C and SIGTERM: the browser is closed, the work folders and the output
// lock are removed, then the process exits with 128 + the signal's number.
// Without this, Node would die on the signal and leave all three behind.
type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
let installed = false;

/** Runs `cleanup` if the process is stopped by a signal; returns the function that unregisters it. */
export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** True once handleSignals has run: the builds' browsers then leave the signals to us. */
export function signalsHandled(): boolean {
  return installed;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
/** A cleanup that hangs must not keep the process alive: the signal wins after this long. */
const CLEANUP_LIMIT_MS = 10_000;

/** Installs the SIGINT/SIGTERM handlers (once); `say` reports the interruption. */
export function handleSignals(say: (line: string) => void): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  for (const signal of Object.keys(EXIT_CODES) as Array<keyof typeof EXIT_CODES>) {
    process.on(signal, () => {
      // A second Ctrl-C while cleaning up: stop at once.
      if (stopping) process.exit(EXIT_CODES[signal]);
      stopping = true;
      say(`presswork: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'} — closing the browser and removing temporary files; articles not yet written are not in the output`);
      const all = Promise.allSettled([...cleanups].map(async (cleanup) => cleanup()));
      const limit = new Promise((resolve) => setTimeout(resolve, CLEANUP_LIMIT_MS).unref());
      void Promise.race([all, limit]).then(() => process.exit(EXIT_CODES[signal]));
    });
  }
}
