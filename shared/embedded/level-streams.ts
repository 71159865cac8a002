import { Readable } from 'node:stream';

/**
 * Makes the streams dynalite reads LevelDB with close their iterators.
 *
 * dynalite (4.0) turns each LevelDB iterator of a Query or Scan into a stream that never closes it:
 * its `destroy` calls `iterator.return`, which abstract-level's iterators do not have, and the end of
 * the stream leaves the iterator open too. An open LevelDB iterator keeps what it was opened on: the
 * memtables of that moment (4 MB each, in native memory) and the version of the table files, whose
 * obsolete files then stay on disk and mapped. Every query of the runtime left one behind: after a
 * burst of 20,000 filings the process held about 550 MB of memtables and 1.6 GB of mapped table
 * files, and the data directory 2 GB, until the next start.
 *
 * Here each stream closes its iterator when it ends or is destroyed (dynalite destroys it when a
 * Query has its page), as abstract-level requires. This relies on dynalite calling the Level's own
 * `createKeyStream` / `createValueStream` (pinned by package-lock.json);
 * test/integration/level-streams.test.ts fails if an upgrade changes that.
 */
export function closeIteratorsOfStreams(level: LevelWithStreams): void {
  if (level.iteratorsClosed) return;
  level.createKeyStream = (options) => iteratorStream(level.keys(options));
  level.createValueStream = (options) => iteratorStream(level.values(options));
  level.iteratorsClosed = true;
}

interface LevelIterator {
  next(): Promise<unknown>;
  close(): Promise<void>;
}

export interface LevelWithStreams {
  keys(options?: object): LevelIterator;
  values(options?: object): LevelIterator;
  createKeyStream(options?: object): Readable;
  createValueStream(options?: object): Readable;
  iteratorsClosed?: true;
}

/** Entries one by one, as dynalite's streams read them; the iterator is closed when the stream ends or is destroyed. */
function iteratorStream(iterator: LevelIterator): Readable {
  return new Readable({
    objectMode: true,
    read() {
      iterator.next().then(
        (value) => this.push(value === undefined ? null : value),
        (error: Error) => this.destroy(error),
      );
    },
    // Also runs after the end (autoDestroy); close() waits for a next() in progress.
    destroy(error, callback) {
      iterator.close().then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError),
      );
    },
  });
}
