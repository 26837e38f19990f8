// The HTML the dev server sends: the laid-out page with the dev panel and
// client injected (only here, never in a build), the index of articles, and
// the page that stands in for an article that failed to load.
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import type { MessageRecord } from '../publish/build.js';
import type { Preflight } from '../print/index.js';
import { failedChecks, type Fault } from './faults.js';

export const DEV_PREFIX = '/_dev';
export const CLIENT_URL = `${DEV_PREFIX}/client.js`;
export const STYLE_URL = `${DEV_PREFIX}/dev.css`;
export const EVENTS_URL = `${DEV_PREFIX}/events`;

/** What the client script reads from the page. */
export interface DevData {
  /** The article this page shows; absent on the index (which reloads on any change). */
  slug?: string;
  version: number;
  faults: Fault[];
}

export type ArticleStatus = 'building' | 'ok' | 'faults' | 'error';

export interface ArticleEntry {
  source: string;
  slug: string;
  title?: string;
  status: ArticleStatus;
  version: number;
  preflight?: Preflight;
  messages: MessageRecord[];
}

export const articleUrl = (slug: string): string => `/article/${encodeURIComponent(slug)}`;

const stringify = (node: Root | Element): string => unified().use(rehypeStringify).stringify(node.type === 'root' ? node : { type: 'root', children: [node] });

/** JSON that can sit inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function devHead(data: DevData): string {
  return [
    `<link rel="stylesheet" href="${STYLE_URL}">`,
    `<script type="application/json" id="presswork-dev">${scriptJson(data)}</script>`,
    `<script src="${CLIENT_URL}" defer></script>`,
  ].join('\n');
}

function inject(html: string, head: string, body: string): string {
  const withHead = html.includes('</head>') ? html.replace('</head>', `${head}\n</head>`) : `${head}\n${html}`;
  return withHead.includes('</body>') ? withHead.replace(/<\/body>(?![\s\S]*<\/body>)/, `${body}\n</body>`) : `${withHead}\n${body}`;
}

/** The laid-out page with the dev panel, the preflight faults and the reload client. */
export function articlePage(html: string, entry: ArticleEntry, faults: Fault[]): string {
  return inject(html, devHead({ slug: entry.slug, version: entry.version, faults }), stringify(panel(entry, faults)));
}

function summary(entry: ArticleEntry): string {
  const preflight = entry.preflight;
  if (!preflight) return entry.status === 'building' ? 'building…' : 'not laid out';
  return `${preflight.pages} page${preflight.pages === 1 ? '' : 's'} · body ${preflight.bodySize} pt · fill ${preflight.fill}`;
}

function statusLabel(entry: ArticleEntry): string {
  if (entry.status === 'building') return 'building…';
  if (entry.status === 'error') return 'error';
  const failed = failedChecks(entry.preflight);
  return failed.length === 0 ? 'preflight ok' : `preflight failed: ${failed.map((check) => `${check.name} ${check.count}`).join(', ')}`;
}

function panel(entry: ArticleEntry, faults: Fault[]): Element {
  const byCheck = new Map<string, Array<{ fault: Fault; index: number }>>();
  faults.forEach((fault, index) => byCheck.set(fault.check, [...(byCheck.get(fault.check) ?? []), { fault, index }]));
  const errors = entry.messages.filter((message) => message.severity === 'error');
  const notes = entry.messages.filter((message) => message.severity !== 'error');
  // A <details> so the desk can fold the panel away from the page without any script.
  return h('aside.pw-dev-panel', { dataStatus: entry.status, dataChecksFailed: byCheck.size, role: 'complementary', ariaLabel: 'presswork preflight' }, [
    h('details', { open: true }, [
      h('summary', h('h2.pw-dev-status', statusLabel(entry))),
      h('p.pw-dev-nav', [h('a', { href: '/' }, '← all articles'), ' ', h('span.pw-dev-source', entry.source)]),
      h('p.pw-dev-summary', summary(entry)),
      ...[...byCheck].map(([check, items]) =>
        h('section.pw-check', { dataCheck: check }, [
          h('h3', `${check} (${items.length})`),
          h(
            'ol',
            items.map(({ fault, index }) => h('li.pw-fault', { dataFault: index, dataCheck: check, tabIndex: 0 }, fault.message)),
          ),
        ]),
      ),
      ...(errors.length + notes.length > 0 ? [messageList([...errors, ...notes])] : []),
    ]),
  ]);
}

function messageList(messages: MessageRecord[]): Element {
  return h('section.pw-messages', [
    h('h3', `messages (${messages.length})`),
    h(
      'ul',
      messages.map((message) =>
        h(`li.pw-message.pw-${message.severity}`, `${message.line ? `line ${message.line}: ` : ''}${message.message} [${message.rule}]`),
      ),
    ),
  ]);
}

function document(title: string, data: DevData, body: ElementContent[]): string {
  const page: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'zh-CN' }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', title)]),
        h('body.pw-dev-screen', body),
      ]),
    ],
  };
  return inject(stringify(page), devHead(data), '');
}

/** Every article the server watches, with its preflight status. */
export function indexPage(entries: ArticleEntry[], version: number): string {
  return document('presswork dev', { version, faults: [] }, [
    h('main.pw-dev-index', [
      h('h1', 'presswork dev'),
      h('p', 'Pages reload when you save. Faults the preflight finds are outlined on the page.'),
      h('table', [
        h('thead', h('tr', [h('th', 'article'), h('th', 'source'), h('th', 'layout'), h('th', 'preflight')])),
        h(
          'tbody',
          entries.map((entry) =>
            h('tr.pw-article', { dataSlug: entry.slug, dataStatus: entry.status }, [
              h('td', h('a', { href: articleUrl(entry.slug) }, entry.title ?? entry.slug)),
              h('td', entry.source),
              h('td', summary(entry)),
              h('td.pw-status', statusLabel(entry)),
            ]),
          ),
        ),
      ]),
    ]),
  ]);
}

/** An article that could not be laid out: its messages, until the next save fixes it. */
export function errorPage(entry: ArticleEntry, report: string): string {
  return document(`${entry.slug}: error`, { slug: entry.slug, version: entry.version, faults: [] }, [
    h('main.pw-dev-error', [
      h('p.pw-dev-nav', h('a', { href: '/' }, '← all articles')),
      h('h1', `${entry.source} could not be laid out`),
      h('pre.pw-report', report),
      h('p', 'Fix the article and save: this page reloads.'),
    ]),
  ]);
}

