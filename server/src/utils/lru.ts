/** A size-bounded map that forgets the least recently used entry first. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V) {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K) {
    this.entries.delete(key);
  }

  deleteWhere(predicate: (value: V, key: K) => boolean) {
    for (const [key, value] of this.entries) if (predicate(value, key)) this.entries.delete(key);
  }

  get size() {
    return this.entries.size;
  }

  clear() {
    this.entries.clear();
  }
}
