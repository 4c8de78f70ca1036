/** One entry of an {@link InFlight} list; emptied when it is removed. */
interface Link<T> {
  value: T | undefined;
  prev: Link<T> | undefined;
  next: Link<T> | undefined;
  linked: boolean;
}

/**
 * What a server has in flight (connections, requests being answered), for a shutdown to reach each
 * one: a linked list, not a `Set`.
 *
 * A `Set` that lives as long as the server is in V8's old generation, and V8 gives a rehashed
 * table the generation of the table it replaces; it rehashes as entries come and go, every few
 * requests, and the table it leaves behind keeps pointers to the entries it held. Until the next
 * major collection every young-generation collection takes those pointers as live, so each request
 * that was in flight at a rehash was kept, whole, through two collections and promoted: 7.2 KiB
 * per PATCH at eight clients against 1.0 with lists (docs/performance.md, "Requests kept alive by
 * the server's own sets"). A removed link keeps no pointer, and nothing here is ever reallocated.
 */
export class InFlight<T> {
  #first: Link<T> | undefined;
  #size = 0;

  /** How many are in flight. */
  get size(): number {
    return this.#size;
  }

  /** Adds `value`; the function returned removes it (the first call; later ones do nothing). */
  add(value: T): () => void {
    const link: Link<T> = { value, prev: undefined, next: this.#first, linked: true };
    if (this.#first !== undefined) this.#first.prev = link;
    this.#first = link;
    this.#size += 1;
    return () => {
      if (!link.linked) return;
      link.linked = false;
      if (link.prev === undefined) this.#first = link.next;
      else link.prev.next = link.next;
      if (link.next !== undefined) link.next.prev = link.prev;
      link.value = link.prev = link.next = undefined;
      this.#size -= 1;
    };
  }

  /** What is in flight now, newest first: a copy, so the caller may remove entries while it walks it. */
  values(): T[] {
    const out: T[] = [];
    for (let link = this.#first; link !== undefined; link = link.next) out.push(link.value as T);
    return out;
  }
}
