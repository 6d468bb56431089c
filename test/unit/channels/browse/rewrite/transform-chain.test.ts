import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TransformChain } from '../../../../../src/channels/browse/rewrite/transform-chain.ts';
import { settleStreams } from '../../../../helpers/rewrite-fixtures.ts';

/** A Transform that upper-cases ASCII and, at its end, writes `trailer` (as a compressor writes its trailer). */
function upperCase(trailer = ''): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.from(chunk.toString('latin1').toUpperCase(), 'latin1'));
    },
    flush(callback) {
      callback(null, trailer === '' ? null : Buffer.from(trailer));
    },
  });
}

async function collect(chain: TransformChain, chunks: ReadonlyArray<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    chain,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('TransformChain: several streams seen as one', () => {
  it('bytes go through every stream in order, and what the last one writes at its end comes before the chain ends', async () => {
    const chain = new TransformChain([createGzip(), createGunzip(), upperCase(' (END)')]);
    const out = await collect(chain, [Buffer.from('one '), Buffer.from('two '), Buffer.from('three')]);
    expect(out.toString()).toBe('ONE TWO THREE (END)');
  });

  it('an empty input ends the chain with what the streams write at their end', async () => {
    expect((await collect(new TransformChain([new PassThrough(), upperCase('done')]), [])).toString()).toBe('done');
  });

  it('a reader that stops reading stops the chain pulling from its writer: a few buffers held, not the body', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = 256; // 16 MB offered
    let pulled = 0;
    const source = new Readable({
      read() {
        if (pulled === total) this.push(null);
        else {
          pulled++;
          this.push(chunk);
        }
      },
    });
    const chain = new TransformChain([new PassThrough(), upperCase(), new PassThrough()]);
    source.pipe(chain);
    await settleStreams(() => pulled);
    // Each stream holds at most its high-water marks (64 KiB each side): about a megabyte in all.
    expect(pulled * chunk.length).toBeLessThan(2 * 1024 * 1024);
    expect(chain.readableLength).toBeLessThanOrEqual(chain.readableHighWaterMark + chunk.length);
    // Reading again resumes the flow until the end.
    let read = 0;
    await new Promise<void>((resolve, reject) => {
      chain.on('data', (piece: Buffer) => (read += piece.length));
      chain.on('end', resolve);
      chain.on('error', reject);
    });
    expect(read).toBe(total * chunk.length);
    expect(pulled).toBe(total);
  });

  it('a writer is held back while the first stream is full (the write callback waits for its drain)', async () => {
    const head = new PassThrough({ highWaterMark: 16 });
    const chain = new TransformChain([head, new PassThrough({ highWaterMark: 16 })]);
    // Nobody reads: the chain's own read buffer fills, then the inner streams, then writes wait in the chain itself.
    for (let i = 0; i < 200; i++) chain.write(Buffer.alloc(1024));
    await settleStreams(() => chain.writableLength);
    expect(head.writableLength + head.readableLength).toBeLessThanOrEqual(2 * 1024);
    expect(chain.writableLength).toBeGreaterThan(64 * 1024);
    chain.resume();
    await new Promise((resolve) => chain.end(resolve));
    expect(chain.writableLength).toBe(0);
  });

  it('destroying the chain destroys every stream in it (an abandoned download frees its decoder and encoder)', () => {
    const streams = [new PassThrough(), createGunzip(), createGzip()] as const;
    const chain = new TransformChain(streams);
    chain.destroy();
    expect(streams.map((s) => s.destroyed)).toEqual([true, true, true]);
  });

  it('destroying the chain with an error reports that error', async () => {
    const chain = new TransformChain([new PassThrough(), new PassThrough()]);
    const failed = new Promise<Error>((resolve) => chain.on('error', resolve));
    chain.destroy(new Error('patron went away'));
    expect((await failed).message).toBe('patron went away');
  });

  it('an error in any stream fails the chain with that error and tears down the others', async () => {
    const streams = [new PassThrough(), createGunzip(), new PassThrough()] as const;
    const chain = new TransformChain(streams);
    const corrupt = Buffer.concat([gzipSync(Buffer.from('fine so far')).subarray(0, 12), Buffer.from('garbage that is not deflate data')]);
    await expect(collect(chain, [corrupt])).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
    expect(streams.map((s) => s.destroyed)).toEqual([true, true, true]);
  });
});
