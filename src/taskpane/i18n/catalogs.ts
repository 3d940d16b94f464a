// The pane's message catalogs: one JSON file per part of the pane and per language, in ICU
// MessageFormat (plurals, selects, {placeholders}). English is the source; German is complete
// (test/unit/i18n/catalogs.test.ts checks every key and every placeholder against English).
// Keys start with their part's name ("chat.send"), so the files never collide when merged.
import enApi from "./catalogs/en/api.json";
import enApp from "./catalogs/en/app.json";
import enBatch from "./catalogs/en/batch.json";
import enChat from "./catalogs/en/chat.json";
import enConnection from "./catalogs/en/connection.json";
import enDocuments from "./catalogs/en/documents.json";
import enGenerate from "./catalogs/en/generate.json";
import enOffice from "./catalogs/en/office.json";
import enSources from "./catalogs/en/sources.json";
import enUi from "./catalogs/en/ui.json";
import enWrite from "./catalogs/en/write.json";
import deApi from "./catalogs/de/api.json";
import deApp from "./catalogs/de/app.json";
import deBatch from "./catalogs/de/batch.json";
import deChat from "./catalogs/de/chat.json";
import deConnection from "./catalogs/de/connection.json";
import deDocuments from "./catalogs/de/documents.json";
import deGenerate from "./catalogs/de/generate.json";
import deOffice from "./catalogs/de/office.json";
import deSources from "./catalogs/de/sources.json";
import deUi from "./catalogs/de/ui.json";
import deWrite from "./catalogs/de/write.json";

export const english = {
  ...enApp,
  ...enUi,
  ...enApi,
  ...enOffice,
  ...enConnection,
  ...enDocuments,
  ...enGenerate,
  ...enWrite,
  ...enSources,
  ...enChat,
  ...enBatch,
};

/** Every message the pane has: its English catalog's keys. */
export type MessageId = keyof typeof english;

export type Catalog = Record<string, string>;

export const german: Catalog = {
  ...deApp,
  ...deUi,
  ...deApi,
  ...deOffice,
  ...deConnection,
  ...deDocuments,
  ...deGenerate,
  ...deWrite,
  ...deSources,
  ...deChat,
  ...deBatch,
};

/** The parts' catalogs one by one, for the test that compares them. */
export const parts: Record<string, { en: Catalog; de: Catalog }> = {
  app: { en: enApp, de: deApp },
  ui: { en: enUi, de: deUi },
  api: { en: enApi, de: deApi },
  office: { en: enOffice, de: deOffice },
  connection: { en: enConnection, de: deConnection },
  documents: { en: enDocuments, de: deDocuments },
  generate: { en: enGenerate, de: deGenerate },
  write: { en: enWrite, de: deWrite },
  sources: { en: enSources, de: deSources },
  chat: { en: enChat, de: deChat },
  batch: { en: enBatch, de: deBatch },
};
