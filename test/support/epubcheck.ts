// EPUBCheck 4.2.6 (Debian's `epubcheck`), the archivists' reference validator.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const EPUBCHECK = '/usr/share/java/epubcheck.jar';

interface CheckMessage {
  ID: string;
  severity: string;
  message: string;
  locations?: Array<{ path?: string; line?: number }>;
}

export interface EpubcheckResult {
  /** Fatal errors, errors and warnings, one readable line each. */
  problems: string[];
  nFatal: number;
  nError: number;
  nWarning: number;
}

/** Why EPUBCheck cannot run here, or undefined when it can. */
export async function epubcheckMissing(): Promise<string | undefined> {
  const java = await run('java', ['-version']).then(
    () => true,
    () => false,
  );
  if (!java) return '`java` is not on PATH (apt-get install epubcheck)';
  if (!existsSync(EPUBCHECK)) return `${EPUBCHECK} is missing (apt-get install epubcheck)`;
  return undefined;
}

export async function epubcheck(path: string): Promise<EpubcheckResult> {
  // EPUBCheck exits 1 when it finds errors; its JSON report is on stdout either way, followed by a summary line.
  const result = await run('java', ['-jar', EPUBCHECK, path, '--json', '-'], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const start = result.stdout.indexOf('{');
  const end = result.stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`EPUBCheck printed no JSON: ${result.stdout}${result.stderr}`);
  const report = JSON.parse(result.stdout.slice(start, end + 1)) as {
    checker: { nFatal: number; nError: number; nWarning: number };
    messages: CheckMessage[];
  };
  const problems = report.messages
    .filter((message) => ['FATAL', 'ERROR', 'WARNING'].includes(message.severity))
    .map(
      (message) =>
        `${message.severity} ${message.ID} ${message.message} @ ${(message.locations ?? []).map((place) => `${place.path}:${place.line}`).join(', ')}`,
    );
  return { problems, nFatal: report.checker.nFatal, nError: report.checker.nError, nWarning: report.checker.nWarning };
}
