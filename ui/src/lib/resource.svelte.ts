// The one way a view reads from the backend. A `Resource` holds what was read (`data`), why the
// last read failed (`error`), and whether a read is on its way (`loading`). Reads overlap all the
// time (a keystroke's read overtaken by the next one's, a cache read beside a refresh, news that
// arrive while the user moves on), so the rule lives here and nowhere else:
//
//   the newest read asked for is the one that shows.
//
// An answer (data or error) from a read that a later `load()`, `set()`, `cancel()` or `reset()`
// superseded is dropped, whether it arrives before or after the newer one. `invalidate()` reads
// again with the resource's own fetcher; `invalidateOn()` does so on backend news, `readFor()`
// whenever the subject (a route's key, a prop) changes. Data stays on screen when a read fails
// (the view shows the error beside it); `reset()` clears it for a new subject.

import { untrack } from "svelte";
import { onAccountChanged, onBackendEvent, toBackendError, type BackendError, type DeskEvent } from "./backend";

export type Fetcher<T> = () => Promise<T>;

export class Resource<T> {
  /** What the newest applied read answered (or what `set()` put there). */
  data: T = $state.raw(undefined as T);
  /** Why the newest applied read failed; null once one succeeds. */
  error: BackendError | null = $state.raw(null);
  /** A read is on its way (the newest one asked for). */
  loading = $state(false);
  /** What the read on its way is for, as named in `load()` ("load" unless named). */
  pending: string | null = $state(null);
  /** At least one read has answered (data or error) since the start or the last `reset()`. */
  loaded = $state(false);

  private latest = 0;
  private readonly fetcher: Fetcher<T>;
  private readonly initial: T;

  constructor(fetcher: Fetcher<T>, initial: T) {
    this.fetcher = fetcher;
    this.initial = initial;
    this.data = initial;
  }

  /**
   * Reads with `fetcher` (the resource's own unless given) and shows the answer unless a newer
   * read, `set()`, `cancel()` or `reset()` came after. Resolves to true when the answer was shown (false when
   * it failed or was superseded); it never rejects: a failure is in `error`.
   */
  load(fetcher: Fetcher<T> = this.fetcher, what = "load"): Promise<boolean> {
    const ticket = ++this.latest;
    this.loading = true;
    this.pending = what;
    const answer = new Promise<T>((resolve) => resolve(fetcher()));
    return answer.then(
      (value) => {
        if (ticket !== this.latest) return false;
        this.data = value;
        this.error = null;
        this.settle();
        return true;
      },
      (e: unknown) => {
        if (ticket !== this.latest) return false;
        this.error = toBackendError(e);
        this.settle();
        return false;
      },
    );
  }

  /** Reads again with the resource's own fetcher (the subject or the backend changed). */
  invalidate(): Promise<boolean> {
    return this.load();
  }

  /** Shows `value` (e.g. what a save returned); reads still on their way are dropped. */
  set(value: T): void {
    this.latest++;
    this.data = value;
    this.error = null;
    this.settle();
  }

  /** Drops the reads on their way and keeps what is shown (the subject is about to change). */
  cancel(): void {
    this.latest++;
    this.loading = false;
    this.pending = null;
  }

  /** Back to the start for a new subject: reads on their way are dropped, nothing is shown. */
  reset(value: T = this.initial): void {
    this.latest++;
    this.data = value;
    this.error = null;
    this.loading = false;
    this.pending = null;
    this.loaded = false;
  }

  /**
   * Reads afresh for each new subject: whenever `subject()` changes, what is shown and the reads
   * on their way are dropped, and the resource reads again (not while the subject is null or
   * undefined). Call it while a component is set up (it makes an `$effect`).
   */
  readFor(subject: () => unknown): void {
    $effect(() => {
      const current = subject();
      untrack(() => {
        this.reset();
        if (current !== null && current !== undefined) void this.invalidate();
      });
    });
  }

  /**
   * Reads again whenever the backend reports news that `accept` says concern this resource,
   * after `delayMs` of quiet (a burst of news reads once). Returns the function that stops
   * listening, so it fits an `$effect`: `$effect(() => list.invalidateOn((ev) => …))`.
   */
  invalidateOn(accept: (event: DeskEvent) => boolean, delayMs = 0): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = onBackendEvent((ev) => {
      if (!accept(ev)) return;
      clearTimeout(timer);
      if (delayMs > 0) timer = setTimeout(() => void this.invalidate(), delayMs);
      else void this.invalidate();
    });
    return () => {
      clearTimeout(timer);
      void stop.then((s) => s());
    };
  }

  /** Reads again whenever another account becomes active or the session changes. */
  invalidateOnAccountChange(before: () => void = () => {}): () => void {
    const stop = onAccountChanged(() => {
      before();
      void this.invalidate();
    });
    return () => void stop.then((s) => s());
  }

  private settle(): void {
    this.loading = false;
    this.pending = null;
    this.loaded = true;
  }
}

/** `const forms = resource(() => backend.listForms(query), [])` */
export function resource<T>(fetcher: Fetcher<T>, initial: T): Resource<T> {
  return new Resource(fetcher, initial);
}
