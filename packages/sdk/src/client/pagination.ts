import type { Page } from './api-types.js';

/**
 * The first page as a promise that is also an async iterator over every item of every page (the cursor followed
 * lazily, one request per page), so both read naturally:
 * @example
 * const { items, nextCursor } = await kakunin.agents.list({ limit: 50 });
 * for await (const agent of kakunin.agents.list()) console.log(agent.id);
 */
export type PagePromise<T> = Promise<Page<T>> & AsyncIterable<T>;

export function paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  first?: string,
): PagePromise<T> {
  let firstPage: Promise<Page<T>> | undefined;
  const getFirst = (): Promise<Page<T>> => {
    firstPage ??= fetchPage(first);
    return firstPage;
  };
  const iterate = async function* (): AsyncGenerator<T> {
    let page = await fetchPage(first);
    for (;;) {
      yield* page.items;
      if (page.nextCursor === undefined || page.nextCursor === '') return;
      page = await fetchPage(page.nextCursor);
    }
  };
  // A lazy promise: no request until it is awaited or iterated.
  const promise = {
    // biome-ignore lint/suspicious/noThenProperty: deliberately thenable, like a promise of the first page
    then: (onFulfilled?: (page: Page<T>) => unknown, onRejected?: (error: unknown) => unknown) =>
      getFirst().then(onFulfilled, onRejected),
    catch: (onRejected?: (error: unknown) => unknown) => getFirst().catch(onRejected),
    finally: (onFinally?: () => void) => getFirst().finally(onFinally),
    [Symbol.toStringTag]: 'PagePromise',
    [Symbol.asyncIterator]: () => iterate(),
  };
  return promise as unknown as PagePromise<T>;
}
