import { type CancellationTokenLike, throwIfCancelled } from '../cancel';
import { LAMBDA_PAGE_SIZE, type Page } from './paging';

/**
 * A listing shown a page at a time, pulled from one page generator for its whole life. Items
 * fetched beyond what is shown wait in a buffer (an emulator may answer with everything at once);
 * concurrent requests for more share one fetch; a failed fetch is kept as `error`, since a
 * generator that threw cannot continue (the owner starts a new list to retry).
 */
export class PagedList<T> {
  private readonly shownItems: T[] = [];
  private buffer: T[] = [];
  private exhausted = false;
  private pending: Promise<void> | undefined;
  private failure: unknown;
  private firstLoad: Promise<void> | undefined;

  constructor(
    private readonly pages: AsyncIterator<Page<T>>,
    readonly pageSize = LAMBDA_PAGE_SIZE,
  ) {}

  /** What has been shown so far. */
  get items(): readonly T[] {
    return this.shownItems;
  }

  /** Everything fetched from the service so far, shown or not. */
  get fetched(): readonly T[] {
    return [...this.shownItems, ...this.buffer];
  }

  /**
   * The first page, loaded once however many callers ask; resolves (never rejects) when it is
   * there or failed, the failure then being `error`.
   */
  first(): Promise<void> {
    this.firstLoad ??= this.loadMore().catch(() => undefined);
    return this.firstLoad;
  }

  get hasMore(): boolean {
    return this.failure === undefined && (this.buffer.length > 0 || !this.exhausted);
  }

  /** True when every item of the listing has been fetched. */
  get complete(): boolean {
    return this.exhausted;
  }

  get error(): unknown {
    return this.failure;
  }

  /** Shows the next page (the first one on the first call). Rejects with the fetch's error. */
  loadMore(): Promise<void> {
    this.pending ??= this.fill(this.pageSize)
      .then(() => {
        this.shownItems.push(...this.buffer.splice(0, this.pageSize));
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Fetches and shows everything; stops between pages when the token trips. */
  async loadAll(token?: CancellationTokenLike): Promise<void> {
    while (this.hasMore) {
      throwIfCancelled(token, 'listing');
      await this.loadMore();
    }
    this.throwIfFailed();
  }

  /** Replaces an item in place (after an update), wherever it is. */
  replace(match: (item: T) => boolean, next: T): boolean {
    for (const list of [this.shownItems, this.buffer]) {
      const i = list.findIndex(match);
      if (i >= 0) {
        list[i] = next;
        return true;
      }
    }
    return false;
  }

  remove(match: (item: T) => boolean): boolean {
    let removed = false;
    for (const list of [this.shownItems, this.buffer]) {
      const i = list.findIndex(match);
      if (i >= 0) {
        list.splice(i, 1);
        removed = true;
      }
    }
    return removed;
  }

  private async fill(wanted: number): Promise<void> {
    this.throwIfFailed();
    while (this.buffer.length < wanted && !this.exhausted) {
      let next: IteratorResult<Page<T>>;
      try {
        next = await this.pages.next();
      } catch (err) {
        this.failure = err;
        throw err;
      }
      if (next.done) {
        this.exhausted = true;
        break;
      }
      this.buffer.push(...next.value.items);
      if (next.value.last) this.exhausted = true;
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
