import assert from 'node:assert/strict';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { cancellationSource, CancelledError } from '../../../src/core/cancel';
import { PagedList } from '../../../src/core/cloud/pagedList';
import { functionPages, markerPages } from '../../../src/core/cloud/paging';
import { json, Loopback } from './loopbackLambda';

const fn = (i: number): FunctionConfiguration => ({ FunctionName: `fn-${String(i).padStart(3, '0')}`, Runtime: 'nodejs22.x' });

describe('cloud: paged listings', () => {
  const all = Array.from({ length: 120 }, (_, i) => fn(i));
  let api: Loopback;
  before(async () => {
    // ListFunctions as Lambda pages it: at most MaxItems per answer, NextMarker while more remain.
    api = await new Loopback((req, res) => {
      if (req.method !== 'GET' || !req.path.startsWith('/2015-03-31/functions')) return json(res, 404, { message: `no route ${req.path}` });
      const start = Number(req.query.get('Marker') ?? 0);
      const size = Number(req.query.get('MaxItems') ?? 50);
      const end = Math.min(all.length, start + size);
      json(res, 200, { Functions: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) });
    }).start();
  });
  after(() => api.stop());
  beforeEach(() => api.seen.splice(0));

  it('shows the first page after one ListFunctions call, then pulls each next page from the same listing', async () => {
    const lambda = api.lambda();
    const list = new PagedList(functionPages(lambda));
    await list.first();
    assert.equal(list.items.length, 50);
    assert.equal(list.items[0].FunctionName, 'fn-000');
    assert.equal(list.hasMore, true);
    assert.equal(list.complete, false);
    assert.equal(api.seen.length, 1, 'the first page costs one request, none ahead');
    assert.equal(api.seen[0].query.get('MaxItems'), '50');
    assert.equal(api.seen[0].query.get('Marker'), null);

    await list.first();
    assert.equal(api.seen.length, 1, 'asking for the first page again fetches nothing');

    await list.loadMore();
    assert.deepEqual([list.items.length, api.seen.length, api.seen[1].query.get('Marker')], [100, 2, '50']);
    await list.loadMore();
    assert.equal(list.items.length, 120);
    assert.equal(list.items[119].FunctionName, 'fn-119');
    assert.equal(list.hasMore, false);
    assert.equal(list.complete, true);
    assert.equal(api.seen.length, 3, 'no request after the page without NextMarker');
    lambda.destroy();
  });

  it('shares one fetch between concurrent requests for the next page', async () => {
    const lambda = api.lambda();
    const list = new PagedList(functionPages(lambda));
    await Promise.all([list.first(), list.first(), list.loadMore()]);
    assert.equal(api.seen.length, 1);
    assert.equal(list.items.length, 50);
    await Promise.all([list.loadMore(), list.loadMore()]);
    assert.equal(api.seen.length, 2);
    assert.equal(list.items.length, 100);
    lambda.destroy();
  });

  it('loads everything with loadAll, and stops between pages when cancelled', async () => {
    const lambda = api.lambda();
    const list = new PagedList(functionPages(lambda));
    await list.loadAll();
    assert.equal(list.items.length, 120);
    assert.equal(api.seen.length, 3);

    const cancelled = new PagedList(functionPages(lambda));
    const source = cancellationSource();
    await cancelled.first();
    source.cancel();
    await assert.rejects(cancelled.loadAll(source.token), CancelledError);
    assert.equal(cancelled.items.length, 50, 'nothing more was fetched after the cancel');
    lambda.destroy();
  });

  it('shows a page at a time when the service answers with everything at once', async () => {
    let calls = 0;
    const list = new PagedList(
      markerPages(async () => {
        calls++;
        return { items: all, next: undefined };
      }),
    );
    await list.first();
    assert.deepEqual([list.items.length, list.fetched.length, list.hasMore, list.complete, calls], [50, 120, true, true, 1]);
    await list.loadMore();
    await list.loadMore();
    assert.deepEqual([list.items.length, list.hasMore, calls], [120, false, 1]);
  });

  it('keeps a failed fetch as the error: first() resolves, loadMore() rejects with it', async () => {
    let calls = 0;
    const list = new PagedList(
      markerPages<FunctionConfiguration>(async (marker) => {
        calls++;
        if (marker) throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
        return { items: all.slice(0, 50), next: '50' };
      }),
    );
    await list.first();
    await assert.rejects(list.loadMore(), /Rate exceeded/);
    assert.equal((list.error as Error).name, 'TooManyRequestsException');
    assert.equal(list.hasMore, false, 'no "Load more" under a failed listing');
    assert.equal(list.items.length, 50, 'what was shown stays');
    await assert.rejects(list.loadMore(), /Rate exceeded/);
    assert.equal(calls, 2, 'a failed listing is not asked again');
  });

  it('replaces and removes items wherever they are, shown or buffered', async () => {
    const list = new PagedList(markerPages(async () => ({ items: all, next: undefined })));
    await list.first();
    assert.equal(list.replace((f) => f.FunctionName === 'fn-100', { ...fn(100), Runtime: 'python3.13' }), true);
    assert.equal(list.remove((f) => f.FunctionName === 'fn-001'), true);
    assert.equal(list.replace((f) => f.FunctionName === 'nope', fn(0)), false);
    await list.loadAll();
    assert.equal(list.items.length, 119);
    assert.equal(list.items.find((f) => f.FunctionName === 'fn-100')?.Runtime, 'python3.13');
    assert.equal(list.items.some((f) => f.FunctionName === 'fn-001'), false);
  });
});
