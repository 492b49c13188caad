/** Counts service calls by `Service.Class.method` (e.g. 'SpreadsheetApp.Range.getValues'). */
export class CallCounter {
  #counts = new Map<string, number>();

  add(name: string, n = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + n);
  }

  get(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  /** Sum over every method whose name starts with `prefix` (e.g. 'SpreadsheetApp.' or 'PropertiesService.Properties.'). */
  sum(prefix = ''): number {
    let total = 0;
    for (const [name, n] of this.#counts) if (name.startsWith(prefix)) total += n;
    return total;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  reset(): void {
    this.#counts.clear();
  }
}
