import { KakuninError } from '../errors.js';
import type { Page } from './api-types.js';

/**
 * The first page as a promise that is also an async iterator over every item of every page (the cursor followed
 * lazily, one request per page), so both read naturally:
 * @example
 * const { items, nextCursor } = await kakunin.agents.list({ limit: 50 });
 * for await (const agent of kakunin.agents.list()) console.log(agent.id);
 *
 * A cursor the service refuses (forged, altered, another tenant's, reused with other filters) rejects the promise or
 * the iteration with `KakuninError` 400 `INVALID_REQUEST`, `field: 'cursor'`; a cursor the service hands out twice
 * ends the iteration with `UNAVAILABLE` (`field: 'cursor'`) rather than looping.
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
    // A cursor handed out twice would loop for ever (a faulty proxy, a replayed answer): stop with an error instead.
    const seen = new Set<string>(first === undefined ? [] : [first]);
    for (;;) {
      yield* page.items;
      if (page.nextCursor === undefined || page.nextCursor === '') return;
      if (seen.has(page.nextCursor)) {
        throw new KakuninError('UNAVAILABLE', 'the service answered a page cursor it had already given', {
          field: 'cursor',
        });
      }
      seen.add(page.nextCursor);
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
