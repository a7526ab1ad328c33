/** Anything with a dispose(): VS Code's Disposable, a runner whose dispose removes containers. */
export interface DisposableLike {
  dispose(): unknown;
}

/**
 * Disposes in reverse order of creation (what was made later may use what was made earlier),
 * awaiting each dispose that returns a promise before the next. A failure is reported and the
 * rest are still disposed.
 */
export async function disposeAll(items: readonly DisposableLike[], onError: (err: unknown) => void): Promise<void> {
  for (const d of [...items].reverse()) {
    try {
      await d.dispose();
    } catch (err) {
      onError(err);
    }
  }
}
