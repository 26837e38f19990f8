// The preflight's faults as the desk reads them at the end of a build: each
// article whose preflight failed, and under it what failed and where — so
// "preflight failed" on its progress line never needs the manifest to explain.
import { CHECK_NAMES } from '../print/preflight.js';
import type { ArticleReport } from './build.js';

/** Faults shown per check and article; the rest are counted (the manifest and --json carry them all). */
export const FAULTS_SHOWN = 3;

/** A check as a report or the manifest keeps it: its faults are objects with a message (a manifest of an older presswork may hold strings). */
export type ReportedCheck = { ok: boolean; count: number; items: Array<{ message: string } | string> };

/** The messages of a check's faults. */
export function faultMessages(check: ReportedCheck): string[] {
  return check.items.map((item) => (typeof item === 'string' ? item : item.message));
}

/** Lines for stderr: nothing when every preflight passed. */
export function preflightReport(articles: Pick<ArticleReport, 'source' | 'ok' | 'preflight'>[]): string[] {
  const failing = articles.filter((article) => article.ok && article.preflight && !article.preflight.ok);
  if (failing.length === 0) return [];
  const lines = [`preflight: ${failing.length} of ${articles.length} article${articles.length === 1 ? '' : 's'} with faults to fix before press`];
  for (const article of failing) {
    const checks = article.preflight as unknown as Record<string, ReportedCheck | undefined>;
    lines.push(`  ${article.source}`);
    for (const name of CHECK_NAMES) {
      const check = checks[name];
      if (!check || check.ok) continue;
      for (const message of faultMessages(check).slice(0, FAULTS_SHOWN)) lines.push(`    ${name}: ${message}`);
      const more = check.count - Math.min(check.items.length, FAULTS_SHOWN);
      if (more > 0) lines.push(`    ${name}: … and ${more} more`);
    }
  }
  return lines;
}
