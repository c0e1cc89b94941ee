/** Opens the service database (better-sqlite3, WAL) and brings its schema up to date. */
import Database from 'better-sqlite3';
import { OcrError } from '../../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export function openDatabase(path: string, migrations: Migration[] = MIGRATIONS): Db {
  const db = new Database(path);
  // WAL keeps readers off the writer's back and, with NORMAL sync, survives a killed process.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new OcrError(
      'internal',
      `The database schema (version ${current}) is newer than this OCR Desk (version ${latest})`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
