import { Transform, type Duplex, type TransformCallback } from 'node:stream';

/**
 * Several streams (decompress, rewrite, compress) seen as one Transform: writes go to the first,
 * the last one's output is this one's, backpressure is kept both ways (a write waits for the first
 * stream to drain; a full reader pauses the last), and an error in any of them destroys the whole.
 */
export class TransformChain extends Transform {
  readonly #streams: ReadonlyArray<Duplex>;
  readonly #head: Duplex;
  readonly #tail: Duplex;
  #onEnd: TransformCallback | undefined;

  constructor(streams: readonly [Duplex, ...Duplex[]]) {
    super();
    this.#streams = streams;
    this.#head = streams[0];
    this.#tail = streams[streams.length - 1]!;
    for (let i = 0; i + 1 < streams.length; i++) streams[i]!.pipe(streams[i + 1]!);
    for (const stream of streams) stream.on('error', (error: Error) => this.destroy(error));
    this.#tail.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) this.#tail.pause();
    });
    this.#tail.on('end', () => {
      const done = this.#onEnd;
      this.#onEnd = undefined;
      done?.();
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#head.write(chunk)) callback();
    else this.#head.once('drain', () => callback());
  }

  override _flush(callback: TransformCallback): void {
    this.#onEnd = callback;
    this.#head.end();
  }

  override _read(size: number): void {
    this.#tail.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    for (const stream of this.#streams) stream.destroy();
    callback(error);
  }
}
