import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ResponseStream } from '../../../src/core/local/responseStream';
import { STREAM_BURST_BYTES, StreamPacer } from '../../../src/core/serve/streamPacer';
import { sendStream } from '../../../src/core/serve/streamReply';

// Lambda's bandwidth cap on streamed responses: the first 6 MB uncapped, then 2 MB/s. The pacer's
// decisions are checked with a clock the test moves; nothing here waits for real time.

const KIB64 = 64 * 1024;
/** 64 KiB at 2 MiB/s. */
const CHUNK_MS = (KIB64 / (2 * 1024 * 1024)) * 1000;

describe('serve: the response stream bandwidth cap', () => {
  it('passes the first 6 MB at once, then holds each chunk for its time at 2 MB/s', () => {
    let now = 0;
    const pacer = new StreamPacer(() => now);
    for (let sent = 0; sent < STREAM_BURST_BYTES; sent += KIB64) assert.equal(pacer.delayFor(KIB64), 0);
    assert.equal(pacer.delayFor(KIB64), CHUNK_MS);
    assert.equal(pacer.delayFor(KIB64), 2 * CHUNK_MS, 'chunks written at once queue up behind each other');
    now += 2 * CHUNK_MS;
    assert.equal(pacer.delayFor(KIB64), CHUNK_MS);
    now += 10_000;
    assert.equal(pacer.delayFor(KIB64), CHUNK_MS, 'a pause earns no burst: the cap holds after it');
  });

  it('caps only the part of a chunk past the burst', () => {
    const pacer = new StreamPacer(() => 0);
    assert.equal(pacer.delayFor(STREAM_BURST_BYTES - 1000), 0);
    assert.equal(pacer.delayFor(3000), (2000 / (2 * 1024 * 1024)) * 1000);
  });

  it('holds the chunks of a stream sent to a client by what the pacer decides', async () => {
    let now = 0;
    const waits: number[] = [];
    const chunks = Array.from({ length: (STREAM_BURST_BYTES + 4 * KIB64) / KIB64 }, () => Buffer.alloc(KIB64, 0x61));
    const stream: ResponseStream = { contentType: 'application/octet-stream', body: Readable.from(chunks), ended: Promise.resolve({ kind: 'complete', bytes: 0, at: 0 }) };
    const server = createServer((_req, res) => {
      void sendStream(res, stream, [], {
        pacer: new StreamPacer(() => now),
        wait: async (ms) => {
          waits.push(ms);
          now += ms;
        },
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const received = await new Promise<number>((resolve, reject) => {
        get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
        }).on('error', reject);
      });
      assert.equal(received, STREAM_BURST_BYTES + 4 * KIB64);
      assert.deepEqual(waits, [CHUNK_MS, CHUNK_MS, CHUNK_MS, CHUNK_MS], 'the four chunks past 6 MB were held, the others not');
    } finally {
      server.close();
    }
  });
});
