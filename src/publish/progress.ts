// Progress on stderr: a bar on a terminal, plain lines otherwise (CI logs),
// never on stdout (that belongs to --json). Inside an article it says where
// the build has got to — copyfit trial and pages laid out, preflight, PDF,
// previews, EPUB — since a long article takes minutes.
import cliProgress from 'cli-progress';
import type { ArticleEvent, ArticleProgress } from './build.js';

export interface Progress {
  onArticle: (event: ArticleEvent) => void;
  stop: () => void;
}

export interface ProgressOptions {
  /** Plain lines: within one stage, an article's progress is repeated at most this often (ms); a new stage is always said. */
  interval?: number;
}

/** Where an article has got to, in a few words, its stage first: `layout, trial 2, 14 pages`. */
export function describeProgress(progress: ArticleProgress): string {
  switch (progress.stage) {
    case 'layout':
      return `layout, trial ${progress.trial}, ${progress.pages} page${progress.pages === 1 ? '' : 's'}`;
    case 'preflight':
    case 'pdf':
      return `${progress.stage}, ${progress.pages} page${progress.pages === 1 ? '' : 's'}`;
    case 'png':
      return `png, page ${progress.page} of ${progress.pages}`;
    case 'epub':
      return 'epub';
  }
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, describe: (event: ArticleEvent) => string, options: ProgressOptions = {}): Progress {
  if (!stream.isTTY) {
    const interval = options.interval ?? 5000;
    const said = new Map<string, { stage: string; at: number }>();
    return {
      onArticle: (event) => {
        if (event.phase === 'done') {
          said.delete(event.source);
          stream.write(`[${event.done}/${event.total}] ${describe(event)}\n`);
        } else if (event.phase === 'progress' && event.progress) {
          const last = said.get(event.source);
          const now = Date.now();
          if (last && last.stage === event.progress.stage && now - last.at < interval) return;
          said.set(event.source, { stage: event.progress.stage, at: now });
          stream.write(`  ${describe(event)}: ${describeProgress(event.progress)}\n`);
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {value}/{total} articles | {duration_formatted} elapsed | ETA {eta_formatted} | {article}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onArticle: (event) => {
      if (!started) {
        bar.start(event.total, 0, { article: '' });
        started = true;
      }
      // Several articles print at once: the bar names the one that reported last.
      if (event.phase === 'start') bar.update({ article: describe(event) });
      else if (event.phase === 'progress' && event.progress) bar.update({ article: `${describe(event)}: ${describeProgress(event.progress)}` });
      else bar.update(event.done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
