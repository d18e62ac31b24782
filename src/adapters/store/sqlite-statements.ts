// Prepared statements, prepared once per SQL text and reused: shared by the SQLite store and its
// feature stores on the same connection (admin, alerts, workbook).
import type Database from 'better-sqlite3';

export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  /** `max`: forget every statement when this many are cached (for SQL built from variable parts). */
  constructor(
    private readonly db: Database.Database,
    private readonly max = Number.POSITIVE_INFINITY,
  ) {}

  get<R = unknown, P extends unknown[] | {} = unknown[]>(sql: string): Database.Statement<P, R> {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size >= this.max) this.cache.clear();
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  /** Drops every statement (before the connection closes). */
  clear(): void {
    this.cache.clear();
  }
}
