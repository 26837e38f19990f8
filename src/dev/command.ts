// `presswork dev` on the terminal: start the server, say where it is, and on
// Ctrl-C or SIGTERM close it — watcher, event streams, then the browser — so
// no Chromium outlives the command.
import { startDevServer } from './server.js';

export interface DevFlags {
  port: number;
  host: string;
}

export async function runDev(paths: string[], flags: DevFlags, say: (line: string) => void): Promise<number> {
  const server = await startDevServer({ paths, cwd: process.cwd(), port: flags.port, host: flags.host, log: say });
  say(`presswork dev: ${server.url} (Ctrl-C to stop)`);
  const signal = await new Promise<NodeJS.Signals>((stop) => {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => stop(name));
  });
  say(`presswork dev: ${signal}, closing`);
  await server.close();
  // Everything is closed, but a Puppeteer call cut off by the browser's close can leave a timer behind
  // (its newPage waits on a target that never comes); it must not keep the command alive.
  setTimeout(() => process.exit(), 500).unref();
  return 0;
}
