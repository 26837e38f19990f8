// An error in the author's source file (not in presswork): it names the file,
// where in it the problem is when that is known, and what to do about it.

export class SourceError extends Error {
  override readonly name = 'SourceError';

  /**
   * @param message a complete sentence for the author: names the file, says what is wrong and what to do.
   * @param file the source file, as the author named it.
   * @param line 1-based line of the problem, when known.
   * @param column 1-based column (in characters) of the problem, when known.
   * @param fix a remedy to show apart from the message, for callers that print it separately.
   */
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
    readonly fix?: string,
  ) {
    super(message);
  }
}
