// Parts of the UI loaded when first shown, so the start bundle holds only the forms list (issue 16:
// the cached launch parses and runs every byte of it before the first frame). `lazy()` wraps a
// dynamic `import()`; `<Lazy part={…} />` shows the part once its module is in and says so if it
// could not be loaded. A loaded part stays loaded: the next time it shows at once, no frame blank.

import type { Component, ComponentProps } from "svelte";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a part's props are checked where `lazy()` is called
export type AnyComponent = Component<any>;

/** The loads on their way (`lazyLoadsSettled`). */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
const inFlight = new Set<Promise<unknown>>();

/** The props a part's component takes (none for a page: `Record<string, never>`). */
export type PartProps<C extends AnyComponent> = string extends keyof ComponentProps<C> ? object : ComponentProps<C>;

export class LazyPart<C extends AnyComponent = AnyComponent> {
  /** The component once its module is loaded. */
  component: C | null = $state.raw(null);
  /** Why loading failed (the last attempt); null while loading or once loaded. */
  error: unknown = $state.raw(null);

  private loading: Promise<C> | null = null;
  private readonly load: () => Promise<{ default: C }>;

  constructor(load: () => Promise<{ default: C }>) {
    this.load = load;
  }

  /** Starts loading unless loaded or on its way; resolves with the component. A failure can be retried. */
  preload(): Promise<C> {
    if (this.loading) return this.loading;
    this.loading = this.load().then(
      (module) => {
        this.component = module.default;
        this.error = null;
        return module.default;
      },
      (e: unknown) => {
        this.loading = null;
        this.error = e;
        throw e;
      },
    );
    const loading = this.loading;
    inFlight.add(loading);
    void loading.catch(() => undefined).finally(() => inFlight.delete(loading));
    return loading;
  }
}

export function lazy<C extends AnyComponent>(load: () => Promise<{ default: C }>): LazyPart<C> {
  return new LazyPart(load);
}

/**
 * Loads the given parts when the app is idle after its first view, so a later click does not
 * wait for them. Failures are left for the moment the part is shown (it says so and retries).
 */
export function preloadWhenIdle(parts: readonly LazyPart[], delayMs = 1500): () => void {
  const timer = setTimeout(() => {
    for (const part of parts) part.preload().catch(() => undefined);
  }, delayMs);
  return () => clearTimeout(timer);
}

/** Resolves once no part is loading any more (each loaded or failed): for tests that wait for a view. */
export async function lazyLoadsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}
