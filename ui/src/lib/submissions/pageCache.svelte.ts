// The rows of a long view (a form's submissions) as a sparse, bounded cache of pages: the view's
// row count comes with its first page, so a table can size its scrollbar for every row at once;
// the table says which rows are in its window (`show`), the cache reads the pages of those rows
// and of a margin around them, and keeps at most `maxPages` pages, dropping the ones farthest
// from the window. A row not read yet is `undefined` (the table draws a placeholder).
//
// Reads overlap: an answer for a view that `open()` or `reload()` has since replaced is dropped,
// whenever it arrives, so a page of the old sort never lands in the new one.

import { toBackendError, type BackendError } from "../backend";

/** What a page read answers: its rows, and the view's row count when it was asked for. */
export interface PageAnswer<R> {
  rows: R[];
  total: number | null;
}

/** Reads `limit` rows of the view from `offset`, with the view's count when `withTotal`. */
export type PageReader<R> = (offset: number, limit: number, withTotal: boolean) => Promise<PageAnswer<R>>;

export interface PageCacheOptions {
  /** Rows per page read. */
  pageSize?: number;
  /** Pages kept at most (the bound on rows held is `pageSize * maxPages`). */
  maxPages?: number;
  /** Rows read ahead above and below the window, so scrolling seldom meets placeholders. */
  margin?: number;
}

export class PageCache<R> {
  /** Rows in the view; null until its first page (which brings the count) has arrived. */
  total: number | null = $state(null);
  /** Why the newest read failed; null once one succeeds. */
  error: BackendError | null = $state.raw(null);
  /** The view's first read has answered (rows or an error). */
  loaded = $state(false);
  /** Rows held in the cache now. */
  held = $state(0);
  /** Pages being read for the current view. */
  reading = $state(0);

  readonly pageSize: number;
  readonly maxPages: number;
  readonly margin: number;

  /** Bumped whenever a page lands or leaves: what reads `row()` is drawn again. */
  private version = $state(0);
  // Plain collections: what draws the rows follows `version`, bumped on every change.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly pages = new Map<number, R[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly inFlight = new Set<number>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly failed = new Set<number>();
  private view = 0;
  private reader: PageReader<R> | null = null;
  private window = { start: 0, end: 0 };

  constructor(options: PageCacheOptions = {}) {
    this.pageSize = options.pageSize ?? 500;
    this.maxPages = Math.max(2, options.maxPages ?? 6);
    this.margin = options.margin ?? 200;
  }

  /** A new view (another form, filter, sort or columns): everything held is dropped, reads on
   * their way too, and the first page is read with the view's count. */
  open(reader: PageReader<R>): void {
    this.view++;
    this.reader = reader;
    this.pages.clear();
    this.inFlight.clear();
    this.failed.clear();
    this.total = null;
    this.error = null;
    this.loaded = false;
    this.window = { start: 0, end: this.window.end - this.window.start };
    this.changed();
    this.read(0, true);
  }

  /** The same view read again (after a sync or a review change): the rows shown stay until the
   * fresh pages of the window replace them; pages away from the window are dropped. */
  reload(): void {
    if (!this.reader) return;
    if (this.total === null) return this.open(this.reader);
    this.view++;
    this.inFlight.clear();
    this.failed.clear();
    const [first, last] = this.wanted();
    for (const p of [...this.pages.keys()]) if (p < first || p > last) this.pages.delete(p);
    this.changed();
    for (let p = first; p <= last; p++) this.read(p, p === first);
    if (first > last) this.read(0, true);
  }

  /** The table's window moved to rows [start, end): reads the pages it and its margin need. */
  show(start: number, end: number): void {
    this.window = { start, end };
    if (this.total === null || !this.reader) return;
    const [first, last] = this.wanted();
    for (let p = first; p <= last; p++) {
      if (!this.pages.has(p) && !this.inFlight.has(p) && !this.failed.has(p)) this.read(p, false);
    }
    this.evict();
  }

  /** Row `index` of the view, or undefined while its page is not held. */
  row(index: number): R | undefined {
    void this.version;
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** The pages held, in order (for tests and diagnostics). */
  heldPages(): number[] {
    void this.version;
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  /** The pages the window and its margin cover, clamped to the view ([1, 0] when none). */
  private wanted(): [number, number] {
    const total = this.total ?? 0;
    if (total === 0) return [1, 0];
    const from = Math.max(0, Math.min(total - 1, this.window.start - this.margin));
    const to = Math.max(from, Math.min(total - 1, this.window.end - 1 + this.margin));
    return [Math.floor(from / this.pageSize), Math.floor(to / this.pageSize)];
  }

  private read(page: number, withTotal: boolean): void {
    const reader = this.reader;
    if (!reader) return;
    const view = this.view;
    this.inFlight.add(page);
    this.reading = this.inFlight.size;
    new Promise<PageAnswer<R>>((resolve) => resolve(reader(page * this.pageSize, this.pageSize, withTotal))).then(
      (answer) => {
        if (view !== this.view) return;
        this.inFlight.delete(page);
        this.reading = this.inFlight.size;
        if (typeof answer.total === "number") this.total = answer.total;
        this.pages.set(page, answer.rows);
        const total = this.total ?? 0;
        // A view that shrank (a sync removed rows) keeps no page past its end.
        for (const p of [...this.pages.keys()]) if (p * this.pageSize >= total && p > 0) this.pages.delete(p);
        this.error = null;
        this.loaded = true;
        this.changed();
        // The count may have just arrived, or the window moved while this page was read.
        this.show(this.window.start, this.window.end);
      },
      (e: unknown) => {
        if (view !== this.view) return;
        this.inFlight.delete(page);
        this.reading = this.inFlight.size;
        // Not read again until the view is opened or reloaded: a failing backend is not asked
        // in a loop as the user scrolls.
        this.failed.add(page);
        this.error = toBackendError(e);
        this.loaded = true;
      },
    );
  }

  /** Drops the pages farthest from the window until at most `maxPages` are held. */
  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const [first, last] = this.wanted();
    const distance = (p: number) => (p < first ? first - p : p > last ? p - last : 0);
    const far = [...this.pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const p of far) {
      if (this.pages.size <= this.maxPages || distance(p) === 0) break;
      this.pages.delete(p);
    }
    this.changed();
  }

  private changed(): void {
    let n = 0;
    for (const rows of this.pages.values()) n += rows.length;
    this.held = n;
    this.version++;
  }
}
