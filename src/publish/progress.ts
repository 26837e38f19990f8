// Progress on stderr: a bar on a terminal, one plain line per article
// otherwise (CI logs), never on stdout (that belongs to --json).
import cliProgress from 'cli-progress';
import type { ArticleEvent } from './build.js';

export interface Progress {
  onArticle: (event: ArticleEvent) => void;
  stop: () => void;
}

export function createProgress(stream: NodeJS.WriteStream, describe: (event: ArticleEvent) => string): Progress {
  if (!stream.isTTY) {
    return {
      onArticle: (event) => {
        if (event.phase === 'done') stream.write(`[${event.done}/${event.total}] ${describe(event)}\n`);
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
      // Several articles print at once: the bar names the one that started last.
      if (event.phase === 'start') bar.update({ article: describe(event) });
      else bar.update(event.done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
