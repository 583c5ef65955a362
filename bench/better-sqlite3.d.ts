/** better-sqlite3 ships no types and the project installs none: the calls bench/sync.ts makes. */
declare module 'better-sqlite3' {
  interface Statement {
    run(...values: unknown[]): { lastInsertRowid: number | bigint };
  }
  class Database {
    constructor(file: string);
    prepare(sql: string): Statement;
    transaction(work: () => void): () => void;
    close(): void;
  }
  export default Database;
}
