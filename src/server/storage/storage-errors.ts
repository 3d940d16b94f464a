// Errors of the storage layer that callers tell apart, whichever engine (SQLite, PostgreSQL) threw them.

/** The database was written by a newer version of Sidecar (a higher schema version than this one knows). */
export class StorageVersionError extends Error {
  override name = "StorageVersionError";
}
