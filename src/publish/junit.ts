// `--junit <file>`: the build and preflight results as JUnit XML, the format
// CI dashboards (GitLab, Jenkins, GitHub test reporters) read. One suite for
// the build (a case per article), one for the preflight (a case per check).
import { CHECK_NAMES } from '../print/preflight.js';
import type { ArticleReport } from './build.js';
import { faultMessages, type ReportedCheck } from './preflight-report.js';

export function junitXml(articles: ArticleReport[], options: { strict?: boolean } = {}): string {
  const build = articles.map((article) => {
    const name = article.slug || article.source;
    const errors = article.messages.filter((message) => message.severity === 'error');
    const body = article.ok
      ? article.cached
        ? '<system-out>cached: unchanged since the last build</system-out>'
        : ''
      : `<failure message="${attr(errors[0]?.message ?? 'the article failed')}" type="${attr(errors[0]?.rule ?? 'build')}">${text(
          errors.map((message) => `${article.source}${message.line ? `:${message.line}` : ''}: ${message.message} [${message.rule}]`).join('\n'),
        )}</failure>`;
    return testcase('presswork.build', name, article.source, body);
  });

  const preflight: string[] = [];
  for (const article of articles) {
    const checks = article.preflight as unknown as Record<string, ReportedCheck | undefined> | undefined;
    if (!checks) continue;
    for (const check of CHECK_NAMES) {
      const result = checks[check];
      if (!result) continue;
      const faults = faultMessages(result).join('\n');
      // Preflight faults fail CI only under --strict; otherwise they are reported as skipped-with-reason, visible but not red.
      const body = result.ok
        ? ''
        : options.strict
          ? `<failure message="${attr(`${check}: ${result.count}`)}" type="${check}">${text(faults)}</failure>`
          : `<system-err>${text(`${check}: ${result.count}\n${faults}`)}</system-err>`;
      preflight.push(testcase(`presswork.preflight.${article.slug}`, check, article.source, body));
    }
  }

  const suite = (name: string, cases: string[], failures: number) =>
    `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  const buildFailures = articles.filter((article) => !article.ok).length;
  const preflightFailures = options.strict ? preflight.filter((entry) => entry.includes('<failure')).length : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="presswork" tests="${build.length + preflight.length}" failures="${buildFailures + preflightFailures}">`,
    suite('build', build, buildFailures),
    suite('preflight', preflight, preflightFailures),
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(classname: string, name: string, file: string, body: string): string {
  const open = `    <testcase classname="${attr(classname)}" name="${attr(name)}" file="${attr(file)}"`;
  return body ? `${open}>${body}</testcase>` : `${open}/>`;
}

/** XML 1.0 forbids most control characters even escaped; they are dropped from the report (not from any output). */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
