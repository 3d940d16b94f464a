// The picked document kept in IndexedDB, so a reload brings it back: one record { name, bytes }
// under "current". Every failure is silent (private windows, blocked storage, old browsers): the
// document then just isn't restored after a reload.

import { ownBytes } from "./picked-file";
import { type PickedDocument } from "./types";

const DATABASE_NAME = "sidecar-browser-host";
const STORE_NAME = "documents";
const CURRENT_KEY = "current";

export interface StoredDocument {
  name: string;
  bytes: Uint8Array;
  savedAt: number;
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DATABASE_NAME, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE_NAME)) request.result.createObjectStore(STORE_NAME);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB upgrade blocked"));
  });
}

async function inStore<T>(
  factory: IDBFactory,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDatabase(factory);
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE_NAME, mode);
      const request = use(transaction.objectStore(STORE_NAME));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** The picked document in IndexedDB: the factory given in the host's options, else the page's. */
export class DocumentStore {
  /** undefined: the page's IndexedDB; null: nothing is kept. */
  constructor(private readonly factoryOption: IDBFactory | null | undefined) {}

  factory(): IDBFactory | null {
    if (this.factoryOption !== undefined) return this.factoryOption;
    try {
      return (globalThis as { indexedDB?: IDBFactory }).indexedDB ?? null;
    } catch {
      return null;
    }
  }

  /** The stored document; undefined when there is none, or it can't be read or used. */
  async read(factory: IDBFactory): Promise<PickedDocument | undefined> {
    let stored: StoredDocument | undefined;
    try {
      stored = await inStore<StoredDocument | undefined>(factory, "readonly", (store) => store.get(CURRENT_KEY));
    } catch {
      stored = undefined;
    }
    const bytes = ownBytes(stored?.bytes);
    return stored && typeof stored.name === "string" && bytes ? { name: stored.name, bytes } : undefined;
  }

  async store(record: StoredDocument): Promise<void> {
    const factory = this.factory();
    if (!factory) return;
    try {
      await inStore(factory, "readwrite", (store) => store.put(record, CURRENT_KEY));
    } catch {
      // Not kept across reloads; everything else still works.
    }
  }

  async forget(): Promise<void> {
    const factory = this.factory();
    if (!factory) return;
    try {
      await inStore(factory, "readwrite", (store) => store.delete(CURRENT_KEY));
    } catch {
      // Nothing to do.
    }
  }
}
